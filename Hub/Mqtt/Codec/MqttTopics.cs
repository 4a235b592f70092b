namespace Hub.Mqtt.Codec;

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

        // U+0000 is left to MqttStrings, which rejects it in every string we send.
        switch (TopicFilter.CheckLevels(filter))
        {
            case TopicFilterError.MisplacedHash:
                throw new ArgumentException($"'#' must be the last level on its own: '{filter}'.");
            case TopicFilterError.PartialPlus:
                throw new ArgumentException($"'+' must occupy a whole level: '{filter}'.");
        }
    }
}
