package io.github.cloudinarybackup.emulator;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** The small, hand-picked fixed-mode account served by the demo. */
final class DemoAccount {

  static final String CLOUD_NAME = "demo-cloud";
  static final String API_KEY = "614335564976464";
  static final String API_SECRET = "demo-secret"; // the emulator's demo account, not a real secret

  /** resource_type, delivery type, public_id, format (null for raw). */
  private static final String[][] ASSETS = {
    {"image", "upload", "sample", "jpg"},
    {"image", "upload", "products/red_sneaker", "jpg"},
    {"image", "upload", "products/blue sneaker", "png"},
    {"image", "upload", "products/shoes/running/trail_runner", "webp"},
    {"image", "upload", "products/shoes/running/road+racer", "jpg"},
    {"image", "upload", "marketing/Summer Sale/hero banner", "jpg"},
    {"image", "upload", "marketing/Summer Sale/café_terrace", "jpg"},
    {"image", "upload", "marketing/logos/logo", "svg"},
    {"image", "upload", "marketing/logos/logo_small", "png"},
    {"image", "upload", "team/Ünïcödé/portrait", "jpg"},
    {"image", "upload", "旅行/東京/タワー", "jpg"},
    {"image", "upload", "旅行/東京/写真 2", "png"},
    {"image", "upload", "emoji/🎉 party", "gif"},
    {"image", "upload", "docs/brochure", "pdf"},
    {"image", "private", "contracts/scans/signed_contract", "jpg"},
    {"image", "private", "hr/Straße/badge photo", "png"},
    {"image", "authenticated", "invoices/2024/invoice_0001", "jpg"},
    {"image", "authenticated", "invoices/2024/invoice_0002", "png"},
    {"video", "upload", "videos/intro", "mp4"},
    {"video", "upload", "videos/behind the scenes/day 1", "mov"},
    {"video", "upload", "audio/jingle", "mp3"},
    {"video", "private", "videos/internal/all-hands", "mp4"},
    {"video", "authenticated", "videos/customers/onboarding", "webm"},
    {"raw", "upload", "docs/manual.txt", null},
    {"raw", "upload", "docs/data/prices.csv", null},
    {"raw", "upload", "docs/data/config.json", null},
    {"raw", "upload", "LICENSE", null},
    {"raw", "private", "backups/db dump.zip", null},
    {"raw", "authenticated", "legal/résumé.docx", null},
    {"image", "facebook", "65646572251", "jpg"},
    {"image", "youtube", "dQw4w9WgXcQ", "jpg"},
    {"image", "fetch", "https://upload.wikimedia.org/wikipedia/commons/a/a9/Example.jpg", "jpg"},
  };

  private DemoAccount() {}

  static EmulatorAccount create() {
    EmulatorAccount account =
        new EmulatorAccount(CLOUD_NAME, API_KEY, API_SECRET, FolderMode.FIXED);
    Instant createdAt = Instant.parse("2024-06-25T08:58:23Z");
    for (int i = 0; i < ASSETS.length; i++) {
      String[] row = ASSETS[i];
      EmulatedAsset.Builder b =
          EmulatedAsset.builder()
              .resourceType(row[0])
              .type(row[1])
              .publicId(row[2])
              .format(row[3])
              .createdAt(createdAt.plusSeconds(3_600L * i))
              .generatedContent(0xDE30L + i, 512 + 997 * i % 12_000);
      if (i % 4 == 0) {
        b.tags(List.of("demo", i % 8 == 0 ? "featured" : "catalog"));
      }
      if (i % 5 == 0) {
        b.context(Map.of("alt", "Demo asset " + i));
      }
      account.add(b.build());
    }
    // what an account holds besides its assets, kept by every backup in .cloudinary-backup/config/
    account
        .configuration()
        .metadataField(
            java.util.Map.of(
                "type",
                "enum",
                "external_id",
                "season",
                "label",
                "Season",
                "mandatory",
                false,
                "datasource",
                java.util.Map.of(
                    "values",
                    List.of(
                        java.util.Map.of(
                            "external_id", "summer", "value", "Summer", "state", "active"),
                        java.util.Map.of(
                            "external_id", "winter", "value", "Winter", "state", "active")))))
        .metadataField(
            java.util.Map.of(
                "type", "string", "external_id", "sku", "label", "SKU", "mandatory", false))
        .uploadPreset(
            "demo_signed", false, java.util.Map.of("folder", "uploads", "tags", "demo,uploaded"))
        .namedTransformation(
            "thumbnail", List.of(java.util.Map.of("crop", "fill", "width", 150, "height", 150)))
        .uploadMapping("remote", "https://example.com/media/")
        .folder("archive/2019");
    return account;
  }
}
