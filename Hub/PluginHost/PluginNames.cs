using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using Hub.Plugins;

namespace Hub.PluginHost;

/// <summary>
/// The <c>[Plugin("NAME")]</c> names an assembly declares, read from its metadata without loading any type: when a
/// plugin's types cannot load (a missing dependency), the catalog still knows which plugin names the failure is about,
/// so a service that uses one is told why instead of "unknown module".
/// </summary>
internal static class PluginNames
{
    public static IReadOnlyList<string> Read(string path)
    {
        try
        {
            using var stream = File.OpenRead(path);
            using var pe = new PEReader(stream);
            if (!pe.HasMetadata)
            {
                return [];
            }

            var metadata = pe.GetMetadataReader();
            var names = new List<string>();
            foreach (var handle in metadata.CustomAttributes)
            {
                var attribute = metadata.GetCustomAttribute(handle);
                if (IsPluginAttribute(metadata, attribute.Constructor))
                {
                    var value = metadata.GetBlobReader(attribute.Value);
                    // The blob: prolog 0x0001, then the constructor's string argument (ECMA-335 II.23.3).
                    if (value.ReadUInt16() == 1 && value.ReadSerializedString() is { Length: > 0 } name)
                    {
                        names.Add(name);
                    }
                }
            }

            return names;
        }
        catch (Exception ex) when (ex is BadImageFormatException or IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            return [];
        }
    }

    private static bool IsPluginAttribute(MetadataReader metadata, EntityHandle constructor)
    {
        if (constructor.Kind != HandleKind.MemberReference)
        {
            return false;
        }

        var parent = metadata.GetMemberReference((MemberReferenceHandle)constructor).Parent;
        if (parent.Kind != HandleKind.TypeReference)
        {
            return false;
        }

        var type = metadata.GetTypeReference((TypeReferenceHandle)parent);
        return metadata.StringComparer.Equals(type.Name, nameof(PluginAttribute))
            && metadata.StringComparer.Equals(type.Namespace, typeof(PluginAttribute).Namespace!);
    }
}
