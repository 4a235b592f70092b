namespace Hub.Mqtt;

/// <summary>Why a topic filter is invalid, so each caller can word the rule its own way.</summary>
internal enum TopicFilterError
{
    None,
    Empty,
    NullCharacter,
    MisplacedHash,
    PartialPlus,
}
