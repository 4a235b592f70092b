namespace Hub.Analytics.Jobs;

/// <summary>One kind-specific key of a <c>[job:NAME]</c> section: its type, whether it is required, and its default.</summary>
/// <param name="Key">The INI key.</param>
/// <param name="Kind">Its type.</param>
/// <param name="Required">The section must have it.</param>
/// <param name="Default">The value when absent (a <see cref="TimeSpan"/>, <see cref="double"/>, <see cref="string"/> or string list), or null.</param>
internal sealed record JobSetting(string Key, JobSettingKind Kind, bool Required = false, object? Default = null);
