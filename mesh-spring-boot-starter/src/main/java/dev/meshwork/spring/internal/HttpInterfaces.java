package dev.meshwork.spring.internal;

import java.lang.reflect.Method;
import okhttp3.OkHttpClient;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.support.RestClientAdapter;
import org.springframework.web.service.annotation.HttpExchange;
import org.springframework.web.service.invoker.HttpServiceProxyFactory;

/** Spring HTTP interfaces ({@code @HttpExchange}) bound to a mesh service. */
public final class HttpInterfaces {
  private HttpInterfaces() {}

  /** Whether {@code type} declares {@code @HttpExchange} (or a composed one) on it or a method. */
  public static boolean isHttpInterface(Class<?> type) {
    if (AnnotatedElementUtils.hasAnnotation(type, HttpExchange.class)) {
      return true;
    }
    for (Method method : type.getMethods()) {
      if (AnnotatedElementUtils.hasAnnotation(method, HttpExchange.class)) {
        return true;
      }
    }
    return false;
  }

  /**
   * A client of {@code type} calling {@code http://<service>} over {@code client}, from the
   * context's {@code RestClient.Builder} (its converters and observations) when it has one.
   */
  public static <T> T create(
      Class<T> type, String service, BeanFactory beanFactory, OkHttpClient client) {
    RestClient.Builder builder =
        beanFactory.getBeanProvider(RestClient.Builder.class).getIfAvailable(RestClient::builder);
    RestClient rest =
        builder
            .clone()
            .baseUrl("http://" + service)
            .requestFactory(new OkHttpRequestFactory(client))
            .build();
    return HttpServiceProxyFactory.builderFor(RestClientAdapter.create(rest))
        .build()
        .createClient(type);
  }
}
