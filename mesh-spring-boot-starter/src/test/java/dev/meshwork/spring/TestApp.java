package dev.meshwork.spring;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;

/** The application of the tests: auto-configuration and the mesh clients of this package. */
@SpringBootConfiguration
@EnableAutoConfiguration
@EnableMeshClients
public class TestApp {}
