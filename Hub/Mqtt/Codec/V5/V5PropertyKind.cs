namespace Hub.Mqtt.Codec.V5;

/// <summary>The data type of a property value on the wire (§1.5).</summary>
internal enum V5PropertyKind
{
    Byte,
    TwoByteInteger,
    FourByteInteger,
    VariableByteInteger,
    String,
    Binary,
    StringPair,
}
