package dev.meshwork.discovery.kubernetes;

import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Puts the token check of a real API server in front of the mock's CRUD dispatcher (which accepts
 * anything): a request must carry {@code Authorization: Bearer <accepted>} or the test's own admin
 * token, else it gets the API server's 401 Status. Records the Authorization header of every
 * request that was not the admin's.
 */
final class BearerCheck extends Dispatcher {
  static final String ADMIN = "Bearer test-admin";

  private final Dispatcher objects;
  private volatile String accepted;
  final List<String> seen = new CopyOnWriteArrayList<>();

  BearerCheck(Dispatcher objects, String acceptedToken) {
    this.objects = objects;
    accept(acceptedToken);
  }

  /** From now on only {@code token} passes (the API server no longer honours the old one). */
  void accept(String token) {
    accepted = "Bearer " + token;
  }

  @Override
  public MockResponse dispatch(RecordedRequest request) {
    String authorization = request.getHeader("Authorization");
    if (ADMIN.equals(authorization)) {
      return objects.dispatch(request);
    }
    seen.add(String.valueOf(authorization));
    if (!accepted.equals(authorization)) {
      return new MockResponse()
          .setResponseCode(401)
          .setHeader("Content-Type", "application/json")
          .setBody(
              "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"message\":\"Unauthorized\","
                  + "\"reason\":\"Unauthorized\",\"code\":401}");
    }
    return objects.dispatch(request);
  }

  @Override
  public void shutdown() {
    objects.shutdown();
  }
}
