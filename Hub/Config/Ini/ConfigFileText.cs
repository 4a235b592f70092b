using System.Buffers;
using System.Text.Unicode;

namespace Hub.Config.Ini;

/// <summary>Decodes the configuration file: UTF-8 only (a BOM is skipped); anything else is an error, not mojibake.</summary>
internal static class ConfigFileText
{
    public static string? Decode(byte[] bytes, DiagnosticBag diagnostics)
    {
        ReadOnlySpan<byte> span = bytes;
        if (span.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            span = span[3..];
        }
        else if (span.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]) || span.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]))
        {
            diagnostics.Error(0, null, "The file is UTF-16 encoded (e.g. written by a shell redirect); save it as UTF-8");
            return null;
        }

        var nul = span.IndexOf((byte)0);
        if (nul >= 0)
        {
            // UTF-16 without a BOM looks like text with a NUL after every ASCII character.
            diagnostics.Error(LineAt(span, nul), null, "The file contains NUL bytes (UTF-16 or binary?); save it as UTF-8");
            return null;
        }

        var chars = new char[span.Length];
        var status = Utf8.ToUtf16(span, chars, out var bytesRead, out var charsWritten, replaceInvalidSequences: false);
        if (status != OperationStatus.Done)
        {
            diagnostics.Error(LineAt(span, bytesRead), null, $"The file is not valid UTF-8 (byte offset {bytesRead}); save it as UTF-8");
            return null;
        }

        return new string(chars, 0, charsWritten);
    }

    private static int LineAt(ReadOnlySpan<byte> bytes, int offset) => bytes[..offset].Count((byte)'\n') + 1;
}
