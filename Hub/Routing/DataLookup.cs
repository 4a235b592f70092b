namespace Hub.Routing;

/// <summary>The answer of <see cref="IDataSource.TryGet"/>.</summary>
internal enum DataLookup
{
    /// <summary>Only building the whole data can tell.</summary>
    Unknown,

    /// <summary>The data holds the key; the value is the one it holds.</summary>
    Found,

    /// <summary>The data does not hold the key.</summary>
    Missing,
}
