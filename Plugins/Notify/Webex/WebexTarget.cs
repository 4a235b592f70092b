using Hub.Plugins.Common;

namespace Hub.Plugins.Notify;

/// <summary>
/// One resolved <c>webex</c> target: a room id or a person's e-mail address (text with an <c>@</c>),
/// as text, <c>['…']</c>, or <c>{room_id}</c> / <c>{person_email}</c>.
/// </summary>
public sealed record WebexTarget(string? RoomId, string? PersonEmail)
{
    private const string Shape = "the target must be a room id or an e-mail address, as text or ['…'], or {'room_id': …} or {'person_email': …}";

    public static WebexTarget From(object? descriptor)
    {
        if (Descriptor.Named(descriptor) is { } named)
        {
            var unknown = named.Keys.Except(["room_id", "person_email"]).ToList();
            var room = Text(named.GetValueOrDefault("room_id"));
            var email = Text(named.GetValueOrDefault("person_email"));
            if (unknown.Count > 0 || (room is null) == (email is null))
            {
                throw new FormatException(Shape + " (exactly one of the two keys)");
            }

            return new WebexTarget(room, email);
        }

        var items = Descriptor.Items(descriptor);
        var text = items.Count == 1 ? Text(items[0]) : null;
        return text switch
        {
            null => throw new FormatException(Shape),
            _ when text.Contains('@', StringComparison.Ordinal) => new WebexTarget(null, text),
            _ => new WebexTarget(text, null),
        };
    }

    private static string? Text(object? value) => OptionValues.ToText(value) is { } text && !string.IsNullOrWhiteSpace(text) ? text.Trim() : null;
}
