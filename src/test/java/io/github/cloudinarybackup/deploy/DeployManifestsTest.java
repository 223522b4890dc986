package io.github.cloudinarybackup.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.quartz.CronExpression;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * The deployment files cannot run here; their structure and their agreement with the project can be
 * checked.
 */
@SuppressWarnings("unchecked")
class DeployManifestsTest {

  private static final Path ROOT = Path.of("").toAbsolutePath();

  private static List<Map<String, Object>> documents(String file) throws IOException {
    List<Map<String, Object>> docs = new ArrayList<>();
    for (Object doc :
        new Load(LoadSettings.builder().build())
            .loadAllFromString(Files.readString(ROOT.resolve(file)))) {
      docs.add((Map<String, Object>) doc);
    }
    return docs;
  }

  private static Map<String, Object> kind(List<Map<String, Object>> docs, String kind) {
    return docs.stream()
        .filter(d -> kind.equals(d.get("kind")))
        .findFirst()
        .orElseThrow(() -> new AssertionError(kind));
  }

  private static Object at(Object node, String... path) {
    Object current = node;
    for (String key : path) {
      current =
          current instanceof List<?> list
              ? list.get(Integer.parseInt(key))
              : ((Map<String, Object>) current).get(key);
    }
    return current;
  }

  private static Properties applicationProperties() throws IOException {
    Properties properties = new Properties();
    try (Reader in = Files.newBufferedReader(ROOT.resolve("application.properties"))) {
      properties.load(in);
    }
    return properties;
  }

  /** BACKUP_DIR → backup.dir: the property an environment variable sets, by Camel's convention. */
  private static void assertKnownSetting(Properties properties, String variable) {
    if (variable.startsWith("BACKUP_")) {
      String key = variable.toLowerCase(Locale.ROOT).replace('_', '.');
      boolean known =
          properties.stringPropertyNames().stream().anyMatch(k -> k.replace('-', '.').equals(key));
      assertTrue(known, variable + " sets no property the application reads");
    }
  }

  @Test
  void theKubernetesCronJobAgreesWithTheApplication() throws IOException {
    List<Map<String, Object>> docs = documents("deploy/kubernetes/cloudinary-backup.yaml");
    Map<String, Object> pvc = kind(docs, "PersistentVolumeClaim");
    Map<String, Object> cronJob = kind(docs, "CronJob");
    assertEquals("Forbid", at(cronJob, "spec", "concurrencyPolicy"), "runs never overlap");
    Map<String, Object> pod =
        (Map<String, Object>) at(cronJob, "spec", "jobTemplate", "spec", "template", "spec");
    Map<String, Object> container = (Map<String, Object>) at(pod, "containers", "0");

    Properties properties = applicationProperties();
    String backupDir = null;
    for (Map<String, Object> env : (List<Map<String, Object>>) container.get("env")) {
      String name = (String) env.get("name");
      assertKnownSetting(properties, name);
      if (name.equals("CLOUDINARY_URL")) {
        assertEquals("cloudinary-backup-credentials", at(env, "valueFrom", "secretKeyRef", "name"));
      }
      if (name.equals("BACKUP_DIR")) {
        backupDir = (String) env.get("value");
      }
    }
    String claim = null;
    for (Map<String, Object> mount : (List<Map<String, Object>>) container.get("volumeMounts")) {
      if (mount.get("mountPath").equals(backupDir)) {
        String volume = (String) mount.get("name");
        for (Map<String, Object> v : (List<Map<String, Object>>) pod.get("volumes")) {
          if (v.get("name").equals(volume)) {
            claim = (String) at(v, "persistentVolumeClaim", "claimName");
          }
        }
      }
    }
    assertEquals(at(pvc, "metadata", "name"), claim, "the backup folder is the persistent volume");
    assertGraceExceedsTheShutdownTimeout(pod.get("terminationGracePeriodSeconds"), properties);

    // the liveness probe asks the management server the application starts on its configured port
    assertTrue(
        ((List<Map<String, Object>>) container.get("env"))
            .stream()
                .anyMatch(
                    e ->
                        "CAMEL_MANAGEMENT_ENABLED".equals(e.get("name"))
                            && "true".equals(e.get("value"))));
    assertEquals("/observe/health/live", at(container, "livenessProbe", "httpGet", "path"));
    Object port = at(container, "livenessProbe", "httpGet", "port");
    Map<String, Object> named =
        ((List<Map<String, Object>>) container.get("ports"))
            .stream().filter(p -> p.get("name").equals(port)).findFirst().orElseThrow();
    assertEquals(
        properties.getProperty("camel.management.port"), named.get("containerPort").toString());
  }

  /**
   * Kubernetes sends SIGKILL after the grace period: a stop in order needs the shutdown timeout and
   * a margin.
   */
  private static void assertGraceExceedsTheShutdownTimeout(Object grace, Properties properties) {
    long timeout = Long.parseLong(properties.getProperty("backup.shutdown-timeout"));
    assertTrue(
        grace instanceof Number n && n.longValue() >= timeout + 10,
        "terminationGracePeriodSeconds "
            + grace
            + " leaves a stop of up to "
            + timeout
            + " s no margin");
  }

  @Test
  void theCamelKIntegrationUsesTheProjectsRoutesAndBeans() throws IOException {
    Map<String, Object> integration =
        kind(documents("deploy/camel-k/cloudinary-backup.yaml"), "Integration");
    String source = (String) at(integration, "spec", "sources", "0", "contentKey");
    assertTrue(
        Files.isRegularFile(ROOT.resolve("routes").resolve(source)),
        "the routes it names exist: " + source);

    String pom = Files.readString(ROOT.resolve("pom.xml"));
    String coordinates =
        "mvn:" + tag(pom, "groupId") + ":" + tag(pom, "artifactId") + ":" + tag(pom, "version");
    assertEquals(List.of(coordinates), at(integration, "spec", "dependencies"));

    String pvc =
        (String)
            at(
                kind(
                    documents("deploy/kubernetes/cloudinary-backup.yaml"), "PersistentVolumeClaim"),
                "metadata",
                "name");
    assertEquals(pvc + ":/backup", at(integration, "spec", "traits", "mount", "volumes", "0"));
    Properties properties = applicationProperties();
    for (String variable :
        (List<String>) at(integration, "spec", "traits", "environment", "vars")) {
      String name = variable.substring(0, variable.indexOf('='));
      assertKnownSetting(properties, name);
      if (name.equals("BACKUP_SCHEDULE")) {
        assertTrue(
            CronExpression.isValidExpression(variable.substring(variable.indexOf('=') + 1)),
            variable);
      }
    }
    assertGraceExceedsTheShutdownTimeout(
        at(integration, "spec", "template", "spec", "terminationGracePeriodSeconds"), properties);
  }

  @Test
  void theContainerImageRunsTheJarTheBuildMakes() throws IOException {
    String recipe = Files.readString(ROOT.resolve("deploy/Containerfile"));
    String pom = Files.readString(ROOT.resolve("pom.xml"));
    assertTrue(recipe.contains("FROM eclipse-temurin:17"), "a Java 17 runtime");
    String jar = tag(pom, "outputFile").replace("${project.build.directory}/", "target/");
    assertTrue(recipe.contains("COPY " + jar + " "), "the shaded jar: " + jar);
    assertTrue(recipe.contains("ENV BACKUP_DIR=/backup"));
  }

  @Test
  void theImageAndTheIntegrationRunWithTheJvmOptionsTheReadmeRecommends() throws IOException {
    Matcher readme =
        Pattern.compile("\njava ((?:-X\\S+ )+)-jar target/cloudinary-backup.jar\n")
            .matcher(Files.readString(ROOT.resolve("README.md")));
    assertTrue(readme.find(), "the README recommends JVM options");
    List<String> recommended = List.of(readme.group(1).trim().split(" "));
    assertTrue(recommended.contains("-Xms16m"), "memory stays flat: " + recommended);

    // the image runs the launcher (the README's), which sets them, beside the jar; its build step
    // makes the archive the entrypoint maps
    assertEquals(
        recommended, ContainerRecipe.launcherOptions(ROOT.resolve("bin/cloudinary-backup")));
    ContainerRecipe image = ContainerRecipe.read();
    assertEquals(List.of(ContainerRecipe.LAUNCHER), image.entrypoint());
    assertEquals(List.of(ContainerRecipe.LAUNCHER, "--version"), image.buildStep());
    assertTrue(
        image.text().contains("COPY bin/cloudinary-backup " + ContainerRecipe.LAUNCHER + "\n"));
    assertTrue(image.text().contains(" " + ContainerRecipe.JAR + "\n"), "the jar beside it");
    assertTrue(image.text().contains("test -f " + image.archive()), "the build fails without one");

    Map<String, Object> integration =
        kind(documents("deploy/camel-k/cloudinary-backup.yaml"), "Integration");
    assertEquals(recommended, at(integration, "spec", "traits", "jvm", "options"));
  }

  /** The first element of that name in the pom (the project's own coordinates come first). */
  private static String tag(String xml, String name) {
    Matcher m = Pattern.compile("<" + name + ">([^<]+)</" + name + ">").matcher(xml);
    assertTrue(m.find(), name);
    return m.group(1).trim();
  }
}
