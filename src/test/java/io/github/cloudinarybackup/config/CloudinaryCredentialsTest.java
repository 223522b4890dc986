package io.github.cloudinarybackup.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CloudinaryCredentialsTest {

  @Test
  void parsesTheUrlIncludingUploadPrefixAndUnderscoreCloudNames() {
    CloudinaryCredentials c =
        CloudinaryCredentials.fromUrl(
            "cloudinary://123456:s3cr%2Bet+x@my_cloud?upload_prefix=http://127.0.0.1:8080");
    assertEquals("my_cloud", c.cloudName());
    assertEquals("123456", c.apiKey());
    assertEquals("s3cr+et+x", c.apiSecret());
    assertEquals("http://127.0.0.1:8080", c.apiHost());
    assertEquals("http://127.0.0.1:8080", c.sdkConfig().get("upload_prefix"));
  }

  @Test
  void rejectsMalformedUrls() {
    ConfigurationException e =
        assertThrows(
            ConfigurationException.class,
            () -> CloudinaryCredentials.fromUrl("https://key:secret@cloud"));
    assertFalse(e.getMessage().contains("secret@"), "the message must not echo the secret");
  }

  @Test
  void toStringNeverShowsTheSecret() {
    CloudinaryCredentials c = CloudinaryCredentials.fromUrl("cloudinary://key:topsecret@cloud");
    assertFalse(c.toString().contains("topsecret"));
  }

  @Test
  void configurationReadsSeparateVariablesAndDotenv() {
    BackupConfiguration fromDotenv =
        BackupConfiguration.load(
            k -> Optional.empty(), Map.of("CLOUD_NAME", "c1", "API_KEY", "k", "API_SECRET", "s"));
    assertEquals("c1", fromDotenv.credentials().cloudName());
    assertEquals("downloads/c1", fromDotenv.backupDir().toString());
    assertEquals(null, fromDotenv.problem());

    BackupConfiguration env =
        BackupConfiguration.load(
            k ->
                Optional.ofNullable(
                    Map.of("cloud.name", "c2", "api.key", "k", "api.secret", "s").get(k)),
            Map.of("CLOUD_NAME", "c1", "API_KEY", "k", "API_SECRET", "s"));
    assertEquals("c2", env.credentials().cloudName(), "the environment beats .env");
  }

  @Test
  void badSettingsBecomeOneProblem() {
    BackupConfiguration c =
        BackupConfiguration.load(
            k ->
                Optional.ofNullable(
                    Map.of(
                            "backup.resource-types",
                            "image,audio",
                            "backup.page-size",
                            "900",
                            "backup.folder-mode",
                            "odd")
                        .get(k)),
            Map.of());
    assertEquals(
        "no Cloudinary credentials: set CLOUDINARY_URL, or CLOUD_NAME, API_KEY and API_SECRET (in the environment or a .env file);"
            + " backup.resource-types must list some of image, video, raw (comma-separated), got 'image,audio';"
            + " backup.folder-mode must be one of auto, fixed, dynamic, got 'odd';"
            + " backup.page-size must be a whole number from 1 to 500, got '900'",
        c.problem());
    assertThrows(ConfigurationException.class, c::requireValid);
  }
}
