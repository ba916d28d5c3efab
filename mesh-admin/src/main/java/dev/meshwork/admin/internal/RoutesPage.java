package dev.meshwork.admin.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meshwork.core.Endpoint;
import dev.meshwork.core.MeshSnapshot;
import dev.meshwork.core.routing.Fault;
import dev.meshwork.core.routing.HeaderMatch;
import dev.meshwork.core.routing.PathMatch;
import dev.meshwork.core.routing.Route;
import dev.meshwork.core.routing.Route.Mirror;
import dev.meshwork.core.routing.Route.SubsetOverride;
import dev.meshwork.core.routing.Route.WeightedSubset;
import dev.meshwork.core.routing.RouteTable.Subset;
import dev.meshwork.core.spi.Redaction;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * {@code /routes}: per service, the route table calls start with now (after any live swap), in the
 * order routes are tried, and each subset with the endpoints in it and how many calls may use.
 * Header values are redacted like labels: a route may match on a credential.
 */
final class RoutesPage implements AdminPage {
  private final Supplier<MeshSnapshot> mesh;

  RoutesPage(Supplier<MeshSnapshot> mesh) {
    this.mesh = mesh;
  }

  @Override
  public AdminResponse render() {
    ObjectNode json = Json.object();
    ArrayNode services = json.putArray("services");
    for (MeshSnapshot.Service service : mesh.get().services()) {
      ObjectNode node = services.addObject().put("name", service.name().value());
      ArrayNode subsets = node.putArray("subsets");
      for (MeshSnapshot.SubsetMembers members : service.subsets()) {
        subsets.add(subset(service.routes().subsets().get(members.name()), members));
      }
      ArrayNode routes = node.putArray("routes");
      for (Route route : service.routes().routes()) {
        routes.add(route(route));
      }
      node.put("unmatched", "all endpoints of the service");
    }
    return AdminResponse.json(json);
  }

  private static ObjectNode subset(Subset subset, MeshSnapshot.SubsetMembers group) {
    ObjectNode json =
        Json.stringMap(
            Json.object().put("name", subset.name()), "labels", Redaction.entries(subset.labels()));
    ArrayNode members = json.putArray("members");
    for (Endpoint member : group.members()) {
      members.add(member.address());
    }
    return json.put("candidates", group.candidates()).put("panic", group.panic());
  }

  private static ObjectNode route(Route route) {
    ObjectNode json = Json.object().put("name", route.name());
    if (route.path().isEmpty()) {
      json.putNull("path");
    } else {
      PathMatch path = route.path().get();
      json.putObject("path").put("kind", path.kind().name()).put("value", path.value());
    }
    Json.strings(json, "methods", new TreeSet<>(route.methods()));
    ArrayNode headers = json.putArray("headers");
    for (HeaderMatch header : route.headers()) {
      headers
          .addObject()
          .put("name", header.name())
          .put("kind", header.kind().name())
          .put(
              "value",
              header.value().map(value -> Redaction.entry(header.name(), value)).orElse(null));
    }
    ArrayNode split = json.putArray("split");
    for (WeightedSubset destination : route.split()) {
      split.addObject().put("subset", destination.subset()).put("weight", destination.weight());
    }
    ArrayNode overrides = json.putArray("overrides");
    for (SubsetOverride override : route.overrides()) {
      overrides
          .addObject()
          .put("header", override.header())
          .put("value", Redaction.entry(override.header(), override.value()))
          .put("subset", override.subset());
    }
    json.set("mirror", mirror(route.mirror().orElse(null)));
    json.set("fault", fault(route.fault().orElse(null)));
    // null: the service's timeout applies.
    return Json.millis(json, "timeoutMs", route.timeout().orElse(null));
  }

  private static ObjectNode mirror(Mirror mirror) {
    if (mirror == null) {
      return null;
    }
    ObjectNode json =
        Json.object()
            .put("subset", mirror.subset())
            .put("percent", mirror.percent())
            .put("maxInFlight", mirror.maxInFlight());
    return Json.millis(json, "timeoutMs", mirror.timeout());
  }

  private static ObjectNode fault(Fault fault) {
    if (fault == null) {
      return null;
    }
    return Json.millis(Json.object(), "delayMs", fault.delay().orElse(null))
        .put("delayPercent", fault.delayPercent())
        .put("abortStatus", fault.abortStatus())
        .put("abortConnection", fault.abortConnection())
        .put("abortPercent", fault.abortPercent())
        .put("triggerHeader", fault.triggerHeader().orElse(null));
  }
}
