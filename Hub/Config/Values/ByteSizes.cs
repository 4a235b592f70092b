using System.Globalization;

namespace Hub.Config.Values;

/// <summary>Sizes in bytes as written in the configuration: <c>1048576</c>, <c>512KB</c>, <c>64MB</c>, <c>1GB</c>
/// (powers of 1024; <c>KiB</c>/<c>MiB</c>/<c>GiB</c> and a space before the unit are accepted too).</summary>
public static class ByteSizes
{
    public static bool TryParse(string? text, out long bytes)
    {
        bytes = 0;
        var s = text?.Trim() ?? "";
        var digits = 0;
        while (digits < s.Length && char.IsAsciiDigit(s[digits]))
        {
            digits++;
        }

        if (digits == 0 || !long.TryParse(s.AsSpan(0, digits), NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            return false;
        }

        long? unit = s[digits..].Trim().ToUpperInvariant() switch
        {
            "" or "B" => 1,
            "K" or "KB" or "KIB" => 1L << 10,
            "M" or "MB" or "MIB" => 1L << 20,
            "G" or "GB" or "GIB" => 1L << 30,
            _ => null,
        };
        if (unit is not { } u || number > long.MaxValue / u)
        {
            return false;
        }

        bytes = number * u;
        return true;
    }

    public static string Format(long bytes) =>
        bytes % (1L << 30) == 0 && bytes > 0 ? $"{bytes >> 30}GB"
        : bytes % (1L << 20) == 0 && bytes > 0 ? $"{bytes >> 20}MB"
        : bytes % (1L << 10) == 0 && bytes > 0 ? $"{bytes >> 10}KB"
        : bytes.ToString(CultureInfo.InvariantCulture);
}
