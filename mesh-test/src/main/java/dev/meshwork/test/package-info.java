/**
 * Meshwork's JUnit 5 kit: prove that code calling services through the mesh survives their
 * failures, deterministically and without sleeping. {@link dev.meshwork.test.TestMesh} builds a
 * mesh from your builder code on a {@link dev.meshwork.test.VirtualClock}; {@link
 * dev.meshwork.test.FakeService} fakes the services it calls on WireMock, each instance following a
 * {@link dev.meshwork.test.FaultScript}; {@link dev.meshwork.test.CallTrace} and {@link
 * dev.meshwork.test.CallAssert} read what the mesh decided; {@link dev.meshwork.test.MeshChecklist}
 * runs the standard failure scenarios against your service's configuration. Everything in {@code
 * internal} is the kit's own business.
 */
package dev.meshwork.test;
