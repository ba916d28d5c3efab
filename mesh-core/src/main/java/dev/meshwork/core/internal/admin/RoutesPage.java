package dev.meshwork.core.internal.admin;

import dev.meshwork.core.internal.ServiceRuntime;
import dev.meshwork.core.internal.endpoint.EndpointState;
import dev.meshwork.core.internal.routing.EndpointGroup;
import dev.meshwork.core.internal.routing.Routing;
import dev.meshwork.core.routing.Fault;
import dev.meshwork.core.routing.HeaderMatch;
import dev.meshwork.core.routing.Mirror;
import dev.meshwork.core.routing.PathMatch;
import dev.meshwork.core.routing.Route;
import dev.meshwork.core.routing.Subset;
import dev.meshwork.core.routing.SubsetOverride;
import dev.meshwork.core.routing.WeightedSubset;
import java.util.TreeSet;

/**
 * {@code /routes}: per service, the route table calls start with now (after any live swap), in
 * the order routes are tried, and each subset with the endpoints in it and how many calls may
 * use. Header values are redacted like labels: a route may match on a credential.
 */
final class RoutesPage implements AdminPage {
  private final AdminContext context;

  RoutesPage(AdminContext context) {
    this.context = context;
  }

  @Override
  public AdminResponse render() {
    JsonWriter json = new JsonWriter().beginObject().name("services").beginArray();
    for (ServiceRuntime service : context.services()) {
      Routing routing = service.routing();
      json.beginObject().field("name", service.service().value()).name("subsets").beginArray();
      for (Subset subset : routing.table().subsets().values()) {
        subset(json, subset, routing.subset(subset.name()));
      }
      json.endArray().name("routes").beginArray();
      for (Route route : routing.table().routes()) {
        route(json, route);
      }
      json.endArray()
          .field("unmatched", "all endpoints of the service")
          .endObject();
    }
    return AdminResponse.json(json.endArray().endObject());
  }

  private static void subset(JsonWriter json, Subset subset, EndpointGroup group) {
    json.beginObject().field("name", subset.name()).stringMap("labels", Redaction.entries(subset.labels()))
        .name("members").beginArray();
    for (EndpointState member : group.members()) {
      json.value(member.endpoint().address());
    }
    json.endArray()
        .field("candidates", group.candidates().size())
        .field("panic", group.panic())
        .endObject();
  }

  private static void route(JsonWriter json, Route route) {
    json.beginObject().field("name", route.name());
    if (route.path().isEmpty()) {
      json.name("path").nullValue();
    } else {
      PathMatch path = route.path().get();
      json.name("path").beginObject().field("kind", path.kind().name()).field("value", path.value()).endObject();
    }
    json.strings("methods", new TreeSet<>(route.methods())).name("headers").beginArray();
    for (HeaderMatch header : route.headers()) {
      json.beginObject().field("name", header.name()).field("kind", header.kind().name())
          .field("value", header.value() == null ? null : Redaction.entry(header.name(), header.value())).endObject();
    }
    json.endArray().name("split").beginArray();
    for (WeightedSubset destination : route.split()) {
      json.beginObject().field("subset", destination.subset()).field("weight", destination.weight()).endObject();
    }
    json.endArray().name("overrides").beginArray();
    for (SubsetOverride override : route.overrides()) {
      json.beginObject().field("header", override.header())
          .field("value", Redaction.entry(override.header(), override.value()))
          .field("subset", override.subset()).endObject();
    }
    json.endArray();
    mirror(json.name("mirror"), route.mirror().orElse(null));
    fault(json.name("fault"), route.fault().orElse(null));
    json.endObject();
  }

  private static void mirror(JsonWriter json, Mirror mirror) {
    if (mirror == null) {
      json.nullValue();
      return;
    }
    json.beginObject().field("subset", mirror.subset()).field("percent", mirror.percent())
        .field("maxInFlight", mirror.maxInFlight()).millis("timeoutMs", mirror.timeout()).endObject();
  }

  private static void fault(JsonWriter json, Fault fault) {
    if (fault == null) {
      json.nullValue();
      return;
    }
    json.beginObject()
        .millis("delayMs", fault.delay().orElse(null))
        .field("delayPercent", fault.delayPercent())
        .field("abortStatus", fault.abortStatus())
        .field("abortConnection", fault.abortConnection())
        .field("abortPercent", fault.abortPercent())
        .field("triggerHeader", fault.triggerHeader().orElse(null))
        .endObject();
  }
}
