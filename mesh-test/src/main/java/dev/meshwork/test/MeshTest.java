package dev.meshwork.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Gives each test method of the class (or the method) a {@link TestMesh} parameter, closed after
 * the test: a mesh on virtual time, with the random seed {@link #seed()}.
 *
 * <pre>{@code
 * @MeshTest(seed = 7)
 * class MathoidClientTest {
 *   @Test
 *   void survivesAFailingInstance(TestMesh mesh) {
 *     FakeService mathoid = mesh.fake(FakeService.named("mathoid").endpoints(3));
 *   }
 * }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
@ExtendWith(MeshTestExtension.class)
public @interface MeshTest {
  /** The seed of the mesh's random draws; the same seed, the same decisions. */
  long seed() default 1;
}
