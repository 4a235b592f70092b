using System.Security.Cryptography;
using System.Text;
using Hub.Config.Values;
using Hub.Plugins;

namespace Hub.Delivery;

/// <summary>
/// <c>dedup = 10m</c>: an item whose title and message equal those of an item accepted for the same target
/// within the window is not sent again. The window starts at the first of the identical items (a
/// notification repeated every minute is sent once per window, not never). Keys are 128-bit hashes,
/// so memory stays small even for long messages.
/// </summary>
public sealed class Deduplicator(TimeProvider time)
{
    private readonly Dictionary<UInt128, DateTimeOffset> _seen = [];
    private readonly Lock _gate = new();
    private DateTimeOffset _nextSweep;

    /// <summary>True when an identical item was accepted less than <paramref name="window"/> ago; else records this one.</summary>
    public bool IsDuplicate(DeliveryItem item, TimeSpan window)
    {
        var key = Key(item);
        var now = time.GetUtcNow();
        lock (_gate)
        {
            if (now >= _nextSweep)
            {
                Sweep(now, window);
            }

            if (_seen.TryGetValue(key, out var expires) && expires > now)
            {
                return true;
            }

            _seen[key] = now + window;
            return false;
        }
    }

    private void Sweep(DateTimeOffset now, TimeSpan window)
    {
        foreach (var (key, expires) in _seen)
        {
            if (expires <= now)
            {
                _seen.Remove(key);
            }
        }

        _nextSweep = now + window;
    }

    private static UInt128 Key(DeliveryItem item)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes(item.Title));
        hash.AppendData([0]);
        hash.AppendData(item.MessageBytes.Length > 0 || item.IsBinary ? item.MessageBytes.Span : Encoding.UTF8.GetBytes(item.Message));
        Span<byte> digest = stackalloc byte[32];
        hash.GetHashAndReset(digest);
        return System.Buffers.Binary.BinaryPrimitives.ReadUInt128LittleEndian(digest);
    }
}
