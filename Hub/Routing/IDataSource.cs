namespace Hub.Routing;

/// <summary>Where a message's <see cref="LazyData"/> comes from: all of it, or one key at a time.</summary>
internal interface IDataSource
{
    /// <summary>The whole data.</summary>
    OrderedDictionary<string, object?> Build();

    /// <summary>One key, as the built data would hold it; <see cref="DataLookup.Unknown"/> when only building can tell.</summary>
    DataLookup TryGet(string key, out object? value);
}
