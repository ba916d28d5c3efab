package dev.meshwork.test;

import java.lang.reflect.AnnotatedElement;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * The JUnit 5 extension behind {@link MeshTest}: resolves a {@link TestMesh} parameter, one per
 * test, and closes it after the test. Register it yourself to choose the seed in code:
 *
 * <pre>{@code
 * @RegisterExtension static MeshTestExtension kit = MeshTestExtension.withSeed(42);
 * }</pre>
 *
 * <p>The seed is the extension's when it was given one, else the nearest {@link MeshTest#seed()}
 * (method, then class), else 1.
 */
public final class MeshTestExtension implements ParameterResolver, AfterEachCallback {
  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(MeshTestExtension.class);

  private final OptionalLong seed;

  /** The extension {@link MeshTest} registers; the seed comes from the annotation. */
  public MeshTestExtension() {
    this(OptionalLong.empty());
  }

  private MeshTestExtension(OptionalLong seed) {
    this.seed = seed;
  }

  /** An extension whose test meshes draw with {@code seed}. */
  public static MeshTestExtension withSeed(long seed) {
    return new MeshTestExtension(OptionalLong.of(seed));
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == TestMesh.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return context
        .getStore(NAMESPACE)
        .getOrComputeIfAbsent(TestMesh.class, type -> TestMesh.create(seedFor(context)));
  }

  private long seedFor(ExtensionContext context) {
    if (seed.isPresent()) {
      return seed.getAsLong();
    }
    for (Optional<? extends AnnotatedElement> element :
        java.util.List.of(context.getTestMethod(), context.getTestClass())) {
      Optional<MeshTest> annotation =
          element.flatMap(e -> AnnotationSupport.findAnnotation(e, MeshTest.class));
      if (annotation.isPresent()) {
        return annotation.get().seed();
      }
    }
    return 1;
  }

  @Override
  public void afterEach(ExtensionContext context) {
    TestMesh mesh = context.getStore(NAMESPACE).remove(TestMesh.class, TestMesh.class);
    if (mesh != null) {
      mesh.close();
    }
  }
}
