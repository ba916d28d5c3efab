package dev.meshwork.xds.internal;

import dev.meshwork.core.balancer.HashPolicy;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.RouteAction.HashPolicy.PolicySpecifierCase;
import java.util.Optional;

/** A route's hash policy in the core's {@link HashPolicy} terms: a header or a cookie. */
final class HashDecoder {

  /** The policy and a description that is equal for equal policies. */
  record HashSpec(String description, HashPolicy policy) {}

  private HashDecoder() {}

  /** The first hash policy Meshwork can honour; the others are reported. */
  static Optional<HashDecoder.HashSpec> decode(RouteAction action, Fields fields) {
    Optional<HashSpec> chosen = Optional.empty();
    for (int i = 0; i < action.getHashPolicyCount(); i++) {
      RouteAction.HashPolicy policy = action.getHashPolicy(i);
      if (chosen.isPresent()) {
        fields.note("hash_policy[" + i + "]", policy, "only the first hash policy is used");
        continue;
      }
      Fields one = fields.child("hash_policy", i);
      one.unsupported("terminal", "only one hash policy is used");
      if (policy.getPolicySpecifierCase() == PolicySpecifierCase.HEADER) {
        one.child("header").use("header_name");
        String name = policy.getHeader().getHeaderName();
        chosen = Optional.of(new HashSpec("header " + name, HashPolicy.header(name)));
      } else if (policy.getPolicySpecifierCase() == PolicySpecifierCase.COOKIE) {
        one.child("cookie").use("name");
        one.child("cookie").unsupported("ttl", "Meshwork does not generate cookies");
        String name = policy.getCookie().getName();
        chosen = Optional.of(new HashSpec("cookie " + name, HashPolicy.cookie(name)));
      }
    }
    return chosen;
  }
}
