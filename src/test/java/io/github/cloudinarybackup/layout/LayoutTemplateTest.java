package io.github.cloudinarybackup.layout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.cloudinarybackup.cloudinary.CloudinaryResource;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LayoutTemplateTest {

  private final PathSanitizer sanitizer = new PathSanitizer(Set.of(".cloudinary-backup"), ".~cb");

  private static CloudinaryResource resource(String... keyValues) {
    Map<String, Object> map = new HashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      map.put(keyValues[i], keyValues[i + 1]);
    }
    return new CloudinaryResource(map);
  }

  private List<String> render(String template, CloudinaryResource r) {
    return LayoutTemplate.parse(template).render(r, sanitizer);
  }

  @Test
  void fixedModeMirrorsThePublicId() {
    CloudinaryResource image =
        resource("public_id", "shoes/red/sneaker", "format", "jpg", "resource_type", "image");
    assertEquals(List.of("shoes", "red", "sneaker.jpg"), render(LayoutTemplate.FIXED, image));
  }

  @Test
  void rawKeepsTheExtensionThatIsAlreadyInThePublicId() {
    CloudinaryResource raw = resource("public_id", "docs/manual.pdf", "resource_type", "raw");
    assertEquals(List.of("docs", "manual.pdf"), render(LayoutTemplate.FIXED, raw));
    CloudinaryResource bare = resource("public_id", "docs/README", "resource_type", "raw");
    assertEquals(List.of("docs", "README"), render(LayoutTemplate.FIXED, bare));
  }

  @Test
  void dynamicModeUsesAssetFolderAndDisplayName() {
    CloudinaryResource r =
        resource(
            "public_id",
            "x8f7d",
            "format",
            "png",
            "resource_type",
            "image",
            "asset_folder",
            "Products/Shoes",
            "display_name",
            "red / blue sneaker");
    assertEquals(
        List.of("Products", "Shoes", "red %2F blue sneaker.png"),
        render(LayoutTemplate.DYNAMIC, r));
  }

  @Test
  void dynamicRawGetsTheExtensionOfItsPublicId() {
    CloudinaryResource r =
        resource(
            "public_id",
            "a1/manual.txt",
            "resource_type",
            "raw",
            "asset_folder",
            "",
            "display_name",
            "manual");
    assertEquals(List.of("manual.txt"), render(LayoutTemplate.DYNAMIC, r));
  }

  @Test
  void dynamicWithoutDisplayNameFallsBackToThePublicIdsLastSegment() {
    CloudinaryResource r =
        resource(
            "public_id", "a/b/c", "format", "gif", "resource_type", "image", "asset_folder", "F");
    assertEquals(List.of("F", "c.gif"), render(LayoutTemplate.DYNAMIC, r));
  }

  @Test
  void hostilePublicIdsStayInsideTheRoot() {
    CloudinaryResource r =
        resource("public_id", "/../../etc//passwd", "format", "jpg", "resource_type", "image");
    assertEquals(List.of("%2E%2E", "%2E%2E", "etc", "passwd.jpg"), render(LayoutTemplate.FIXED, r));
  }

  @Test
  void customTemplates() {
    CloudinaryResource r =
        resource(
            "public_id",
            "a/b",
            "format",
            "mp4",
            "resource_type",
            "video",
            "type",
            "private",
            "asset_id",
            "abc123",
            "version",
            "17");
    assertEquals(
        List.of("video", "private", "a", "b.mp4"),
        render("{resource_type}/{type}/{public_id}.{ext}", r));
    assertEquals(List.of("abc123-v17.mp4"), render("{asset_id}-v{version}.{ext}", r));
  }

  @Test
  void badTemplatesAreRejected() {
    assertThrows(IllegalArgumentException.class, () -> LayoutTemplate.parse("{nope}/{public_id}"));
    assertThrows(
        IllegalArgumentException.class, () -> LayoutTemplate.parse("{resource_type}/{type}"));
    assertThrows(IllegalArgumentException.class, () -> LayoutTemplate.parse(" "));
  }
}
