using System.Text;
using Hub.Mqtt.Framing;

namespace Hub.Mqtt.Codec;

/// <summary>Strict UTF-8 for MQTT strings: ill-formed text throws instead of turning into U+FFFD.</summary>
internal static class MqttStrings
{
    public static readonly UTF8Encoding Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The encoded length of a string we are about to send; rejects what no peer would accept.</summary>
    public static int GetByteCount(string value, string what)
    {
        int count;
        try
        {
            count = Strict.GetByteCount(value);
        }
        catch (EncoderFallbackException ex)
        {
            throw new ArgumentException($"The {what} is not well-formed UTF-8 text: {ex.Message}", ex);
        }

        if (count > ushort.MaxValue)
        {
            throw new ArgumentException($"The {what} is longer than 65535 bytes.");
        }

        if (value.Contains('\0', StringComparison.Ordinal))
        {
            throw new ArgumentException($"The {what} contains U+0000.");
        }

        return count;
    }

    public static string Decode(ReadOnlySpan<byte> bytes, string what) => Decode(bytes, what, null);

    /// <summary>As <see cref="Decode(ReadOnlySpan{byte}, string)"/>, the field named <c>PACKET WHAT</c> (composed only for an error: this runs for every topic read).</summary>
    public static string Decode(ReadOnlySpan<byte> bytes, string packet, string? what)
    {
        string value;
        try
        {
            value = Strict.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            throw new MqttProtocolException($"Malformed {Name(packet, what)}: not well-formed UTF-8.");
        }

        if (value.Contains('\0', StringComparison.Ordinal))
        {
            throw new MqttProtocolException($"Malformed {Name(packet, what)}: contains U+0000.");
        }

        return value;
    }

    private static string Name(string packet, string? what) => what is null ? packet : $"{packet} {what}";
}
