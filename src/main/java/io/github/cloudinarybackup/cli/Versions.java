package io.github.cloudinarybackup.cli;

import com.cloudinary.Cloudinary;
import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/**
 * {@code --version}: this tool's version and those of what it is built on, from the jar's Maven
 * metadata.
 */
final class Versions implements IVersionProvider {

  @Override
  public String[] getVersion() {
    return new String[] {
      "cloudinary-backup " + version("io.github.cloudinarybackup", "cloudinary-backup"),
      "Apache Camel " + version("org.apache.camel", "camel-core-engine"),
      "Cloudinary Java SDK " + Cloudinary.VERSION,
      "MapDB " + version("org.mapdb", "mapdb"),
      "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")"
    };
  }

  /**
   * The version in {@code META-INF/maven/<group>/<artifact>/pom.properties}, or "unknown" outside
   * the jar.
   */
  static String version(String group, String artifact) {
    String resource = "/META-INF/maven/" + group + "/" + artifact + "/pom.properties";
    try (InputStream in = Versions.class.getResourceAsStream(resource)) {
      if (in == null) {
        return "unknown";
      }
      Properties pom = new Properties();
      pom.load(in);
      return pom.getProperty("version", "unknown");
    } catch (IOException e) {
      return "unknown";
    }
  }
}
