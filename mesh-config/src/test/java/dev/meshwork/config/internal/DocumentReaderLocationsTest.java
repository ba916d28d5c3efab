package dev.meshwork.config.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Where the reader places each value: a field at its key, an item at itself, what an alias copied
 * at the alias. The paths are worked out lazily from locations recorded in the tree's order; a slip
 * in that order would move every later value, which this map of a whole document catches.
 */
class DocumentReaderLocationsTest {
  private static final String DOCUMENT =
      """
      apiVersion: meshwork.dev/v1alpha1
      kind: Mesh
      services:
        a:
          discovery: &d
            static: [10.0.0.1:80, {address: "10.0.0.2:80"}]
          routes:
            - name: r
              split:
                - {subset: v1, weight: 1}
        "b.c":
          discovery: *d
      """;

  @Test
  void everyValueIsPlacedWhereItWasWritten() {
    Map<String, Location> locations = DocumentReader.read(DOCUMENT, "mesh.yaml").locations();

    Map<String, String> placed = new TreeMap<>();
    locations.forEach(
        (path, at) -> placed.put(path, at.source() + ":" + at.line() + ":" + at.column()));
    Map<String, String> expected = new TreeMap<>();
    String[] lines = {
      "", "1:1",
      "apiVersion", "1:1",
      "kind", "2:1",
      "services", "3:1",
      "services.a", "4:3",
      "services.a.discovery", "5:5",
      "services.a.discovery.static", "6:7",
      "services.a.discovery.static[0]", "6:16",
      "services.a.discovery.static[1]", "6:29",
      "services.a.discovery.static[1].address", "6:30",
      "services.a.routes", "7:5",
      "services.a.routes[0]", "8:9",
      "services.a.routes[0].name", "8:9",
      "services.a.routes[0].split", "9:9",
      "services.a.routes[0].split[0]", "10:13",
      "services.a.routes[0].split[0].subset", "10:14",
      "services.a.routes[0].split[0].weight", "10:26",
      "services[\"b.c\"]", "11:3",
      "services[\"b.c\"].discovery", "12:5",
      "services[\"b.c\"].discovery.static", "12:16",
      "services[\"b.c\"].discovery.static[0]", "12:16",
      "services[\"b.c\"].discovery.static[1]", "12:16",
      "services[\"b.c\"].discovery.static[1].address", "12:16",
    };
    for (int i = 0; i < lines.length; i += 2) {
      expected.put(lines[i], "mesh.yaml:" + lines[i + 1]);
    }
    assertEquals(expected, placed);
    assertEquals(expected.size(), locations.size());
    assertEquals(
        new Location("mesh.yaml", 10, 26),
        Problems.nearest(locations, "services.a.routes[0].split[0].weight"));
    assertEquals(
        new Location("mesh.yaml", 10, 13),
        Problems.nearest(locations, "services.a.routes[0].split[0].priority"));
  }

  @Test
  void aRefusalNamesThePathAndPlaceOfTheValueBeingRead() {
    Issue unknownAlias = refusal(DOCUMENT + "    x: [1, *nope]\n");
    assertEquals("services[\"b.c\"].x[1]", unknownAlias.path());
    assertEquals(List.of(13, 12), List.of(unknownAlias.line(), unknownAlias.column()));
    assertEquals("*nope", unknownAlias.value());

    Issue duplicate = refusal(DOCUMENT + "    routes: []\n    routes: []\n");
    assertEquals(List.of(14, 11), List.of(duplicate.line(), duplicate.column()));
  }

  private static Issue refusal(String document) {
    Issue.Refused refused =
        assertThrows(Issue.Refused.class, () -> DocumentReader.read(document, "mesh.yaml"));
    return refused.issues().get(0);
  }
}
