namespace Hub.Mqtt.Session;

/// <summary>Hands out packet ids 1…65535 in turn, wrapping to 1 and skipping ids still in use.</summary>
internal sealed class PacketIdAllocator
{
    private ushort _last;

    /// <summary>Starts after <paramref name="last"/> (tests use it to reach the wrap quickly).</summary>
    public PacketIdAllocator(ushort last = 0) => _last = last;

    public ushort Next(Func<ushort, bool> isInUse)
    {
        for (var attempt = 0; attempt < ushort.MaxValue; attempt++)
        {
            _last = _last == ushort.MaxValue ? (ushort)1 : (ushort)(_last + 1);
            if (!isInUse(_last))
            {
                return _last;
            }
        }

        throw new InvalidOperationException("All 65535 packet ids are in use.");
    }
}
