using Hub.Plugins.Common;

namespace Hub.Plugins.Notify;

/// <summary>Reads a <c>matrix</c> target: a room id (<c>'!id:server'</c>) or alias (<c>'#name:server'</c>), as text or a one-item list.</summary>
public static class MatrixRoom
{
    public static string From(object? descriptor)
    {
        var items = Descriptor.Items(descriptor);
        var room = items.Count == 1 ? OptionValues.ToText(items[0])?.Trim() : null;
        if (room is null || room.Length < 4 || room[0] is not ('!' or '#') || !room.Contains(':', StringComparison.Ordinal))
        {
            throw new FormatException("the target must be a room id '!id:server' or a room alias '#name:server' (as text or ['…'])");
        }

        return room;
    }
}
