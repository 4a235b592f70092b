using Hub.Config;
using Hub.Plugins;

namespace Hub.Routing;

/// <summary>One item for one target, produced by the router.</summary>
public sealed record RoutedItem(ServiceConfig Service, ServiceTarget Target, DeliveryItem Item);
