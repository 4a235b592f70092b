namespace Hub.History;

/// <summary>Where a rule finds its value in a payload.</summary>
internal enum HistoryValueKind
{
    /// <summary>The whole payload is a number (<c>21.5</c>), the default.</summary>
    Payload,

    /// <summary>A field of a JSON object, a dotted path (<c>value = sensor.temp</c>).</summary>
    Field,

    /// <summary>Every numeric field of a JSON object, nested ones as dotted paths (<c>value = *</c>).</summary>
    AllNumeric,

    /// <summary>A format string over the transformation data whose result is a number (<c>value = {tempc}</c>).</summary>
    Format,
}
