namespace Hub.Mqtt.Formatting;

/// <summary>Checks topic names and filters before they are sent.</summary>
internal static class MqttTopics
{
    public static void ValidateName(string topic)
    {
        if (string.IsNullOrEmpty(topic))
        {
            throw new ArgumentException("A topic name needs at least one character.");
        }

        if (topic.AsSpan().IndexOfAny('+', '#') >= 0)
        {
            throw new ArgumentException($"A topic name must not contain wildcards: '{topic}'.");
        }
    }

    public static void ValidateFilter(string filter)
    {
        if (string.IsNullOrEmpty(filter))
        {
            throw new ArgumentException("A topic filter needs at least one character.");
        }

        var levels = filter.Split('/');
        for (var i = 0; i < levels.Length; i++)
        {
            var level = levels[i];
            if (level.Contains('#', StringComparison.Ordinal) && (level != "#" || i != levels.Length - 1))
            {
                throw new ArgumentException($"'#' must be the last level on its own: '{filter}'.");
            }

            if (level.Contains('+', StringComparison.Ordinal) && level != "+")
            {
                throw new ArgumentException($"'+' must occupy a whole level: '{filter}'.");
            }
        }
    }
}
