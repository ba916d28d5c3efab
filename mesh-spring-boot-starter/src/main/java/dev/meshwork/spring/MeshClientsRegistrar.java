package dev.meshwork.spring;

import dev.meshwork.okhttp.MeshOkHttp;
import dev.meshwork.okhttp.MeshService;
import dev.meshwork.spring.internal.HttpInterfaces;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.annotation.AnnotatedBeanDefinition;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.context.EnvironmentAware;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotationMetadata;
import org.springframework.core.type.filter.AnnotationTypeFilter;
import org.springframework.util.ClassUtils;
import retrofit2.CallAdapter;
import retrofit2.Converter;

/** Registers the {@link MeshService} interfaces that {@link EnableMeshClients} finds as beans. */
final class MeshClientsRegistrar
    implements ImportBeanDefinitionRegistrar, BeanFactoryAware, EnvironmentAware {
  private static final String HTTP_EXCHANGE =
      "org.springframework.web.service.annotation.HttpExchange";

  private BeanFactory beanFactory;
  private Environment environment;

  @Override
  public void setBeanFactory(BeanFactory beanFactory) {
    this.beanFactory = beanFactory;
  }

  @Override
  public void setEnvironment(Environment environment) {
    this.environment = environment;
  }

  @Override
  public void registerBeanDefinitions(
      AnnotationMetadata metadata, BeanDefinitionRegistry registry) {
    Map<String, Object> attributes =
        metadata.getAnnotationAttributes(EnableMeshClients.class.getName());
    List<String> packages = new ArrayList<>(List.of((String[]) attributes.get("value")));
    if (packages.isEmpty()) {
      packages.add(ClassUtils.getPackageName(metadata.getClassName()));
    }
    ClassPathScanningCandidateComponentProvider scanner =
        new ClassPathScanningCandidateComponentProvider(false, environment) {
          @Override
          protected boolean isCandidateComponent(AnnotatedBeanDefinition definition) {
            return definition.getMetadata().isInterface()
                && definition.getMetadata().isIndependent();
          }
        };
    scanner.addIncludeFilter(new AnnotationTypeFilter(MeshService.class, false, true));
    ClassLoader loader = ClassUtils.getDefaultClassLoader();
    for (String pkg : packages) {
      for (BeanDefinition found : scanner.findCandidateComponents(pkg)) {
        Class<?> type = ClassUtils.resolveClassName(found.getBeanClassName(), loader);
        register(registry, type);
      }
    }
  }

  private <T> void register(BeanDefinitionRegistry registry, Class<T> type) {
    String name = type.getName();
    if (registry.containsBeanDefinition(name)) {
      return;
    }
    RootBeanDefinition definition = new RootBeanDefinition(type);
    definition.setInstanceSupplier(() -> create(type));
    registry.registerBeanDefinition(name, definition);
  }

  private <T> T create(Class<T> type) {
    MeshOkHttp http = beanFactory.getBean(MeshOkHttp.class);
    String service = type.getAnnotation(MeshService.class).value();
    if (ClassUtils.isPresent(HTTP_EXCHANGE, type.getClassLoader())
        && HttpInterfaces.isHttpInterface(type)) {
      return HttpInterfaces.create(type, service, beanFactory, http.client());
    }
    return http.create(
        type,
        retrofit -> {
          beanFactory
              .getBeanProvider(Converter.Factory.class)
              .orderedStream()
              .forEach(retrofit::addConverterFactory);
          beanFactory
              .getBeanProvider(CallAdapter.Factory.class)
              .orderedStream()
              .forEach(retrofit::addCallAdapterFactory);
        });
  }
}
