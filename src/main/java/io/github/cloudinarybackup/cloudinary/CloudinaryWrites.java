package io.github.cloudinarybackup.cloudinary;

import com.cloudinary.Api;
import com.cloudinary.Cloudinary;
import com.cloudinary.Transformation;
import com.cloudinary.api.exceptions.AlreadyExists;
import com.cloudinary.api.exceptions.ApiException;
import com.cloudinary.api.exceptions.BadRequest;
import com.cloudinary.api.exceptions.GeneralError;
import com.cloudinary.api.exceptions.RateLimited;
import com.cloudinary.metadata.MetadataField;
import com.cloudinary.utils.ObjectUtils;
import io.github.cloudinarybackup.Messages;
import io.github.cloudinarybackup.config.CloudinaryCredentials;
import java.io.File;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every call a restore makes to write into an account, through the official SDK: signed uploads
 * (chunked as the SDK's {@code uploadLarge} does above a size) and the creation of metadata fields,
 * named transformations, folders, upload presets and mappings. Failures come out sorted: {@link
 * AlreadyThere} (the thing exists: a rerun), {@link CloudinaryUnavailableException} and {@link
 * CloudinaryRateLimitException} (worth another try), and {@link Refused} (Cloudinary said no, for a
 * reason a retry does not change).
 */
public final class CloudinaryWrites {

  private static final Pattern UNEXPECTED_STATUS =
      Pattern.compile("Server returned unexpected status code - (\\d{3})");

  /** The thing to create exists already. */
  public static final class AlreadyThere extends Exception {
    AlreadyThere(String message) {
      super(message);
    }
  }

  /** Cloudinary refused the request for good (a bad value, an unknown field, a wrong signature). */
  public static final class Refused extends Exception {
    Refused(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /**
   * {@code Api.callApi} is protected: presets are posted with their settings as saved, which the
   * typed call drops.
   */
  private static final class RawApi extends Api {
    RawApi(Cloudinary cloudinary) {
      super(cloudinary, new com.cloudinary.http5.ApiStrategy());
    }

    void post(List<String> uri, Map<String, Object> params) throws Exception {
      callApi(HttpMethod.POST, uri, params, ObjectUtils.emptyMap());
    }
  }

  private final Cloudinary sdk;
  private final CloudinaryCredentials credentials;
  private final RawApi raw;
  private final AtomicLong adminCalls = new AtomicLong();

  public CloudinaryWrites(CloudinaryCredentials credentials) {
    this.credentials = credentials;
    this.sdk = new Cloudinary(credentials.sdkConfig());
    this.raw = new RawApi(sdk);
  }

  /**
   * A signed upload of {@code file} with the SDK's options; in parts of {@code chunkSize} bytes
   * when the file is larger. @return the upload response
   */
  public Map<String, Object> upload(File file, Map<String, Object> options, int chunkSize)
      throws CloudinaryUnavailableException, CloudinaryRateLimitException, Refused {
    Map<String, Object> mutable = new HashMap<>(options); // uploadLarge writes "filename" into it
    try {
      @SuppressWarnings("unchecked")
      Map<String, Object> response =
          file.length() > chunkSize
              ? sdk.uploader().uploadLarge(file, mutable, chunkSize)
              : sdk.uploader().upload(file, mutable);
      return response;
    } catch (IOException e) {
      throw new CloudinaryUnavailableException(
          "the Upload API at " + credentials.apiHost() + " failed: " + Messages.oneLine(e), e);
    } catch (RuntimeException e) {
      throw sorted(e);
    }
  }

  /** {@code POST metadata_fields} with the field as the account listed it. */
  public void createMetadataField(Map<String, Object> saved) throws Exception {
    MetadataField<Object> field = new MetadataField<>(String.valueOf(saved.get("type")));
    saved.forEach(field::put);
    admin(() -> sdk.api().addMetadataField(field));
  }

  /**
   * {@code POST transformations}: the definition rebuilt from its saved {@code info}, as the SDK
   * writes it.
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public void createNamedTransformation(String name, List<Map<String, Object>> info)
      throws Exception {
    String definition = new Transformation((List) info).generate();
    String plain = name.startsWith("t_") ? name.substring(2) : name; // the list names them t_<name>
    admin(() -> sdk.api().createTransformation(plain, definition, ObjectUtils.emptyMap()));
  }

  /** {@code POST folders/<path>}. */
  public void createFolder(String path) throws Exception {
    admin(() -> sdk.api().createFolder(path, ObjectUtils.emptyMap()));
  }

  /** {@code POST upload_presets} with the settings as saved (strings, as the list shows them). */
  public void createUploadPreset(String name, boolean unsigned, Map<String, Object> settings)
      throws Exception {
    Map<String, Object> params = new HashMap<>(settings);
    params.put("name", name);
    params.put("unsigned", unsigned);
    admin(
        () -> {
          raw.post(List.of("upload_presets"), params);
          return null;
        });
  }

  /** {@code POST upload_mappings}. */
  public void createUploadMapping(String folder, String template) throws Exception {
    admin(() -> sdk.api().createUploadMapping(folder, ObjectUtils.asMap("template", template)));
  }

  /** Admin calls made by this object (uploads are not Admin calls). */
  public long adminCalls() {
    return adminCalls.get();
  }

  private void admin(SdkCall call) throws Exception {
    adminCalls.incrementAndGet();
    try {
      call.run();
    } catch (AlreadyExists e) {
      throw new AlreadyThere(e.getMessage());
    } catch (BadRequest e) {
      if (e.getMessage() != null && e.getMessage().contains("already exists")) {
        throw new AlreadyThere(e.getMessage()); // a metadata field's external id
      }
      throw new Refused(Messages.oneLine(e), e);
    } catch (RateLimited e) {
      throw new CloudinaryRateLimitException(e.getMessage(), e);
    } catch (GeneralError e) {
      Matcher status = UNEXPECTED_STATUS.matcher(String.valueOf(e.getMessage()));
      if (status.lookingAt() && status.group(1).equals("409")) {
        throw new AlreadyThere(e.getMessage());
      }
      if (status.lookingAt() && status.group(1).startsWith("4")) {
        throw new Refused(Messages.oneLine(e), e);
      }
      throw new CloudinaryUnavailableException(
          "the Cloudinary API at " + credentials.apiHost() + " failed: " + Messages.oneLine(e), e);
    } catch (ApiException e) {
      throw new Refused(Messages.oneLine(e), e);
    }
  }

  /**
   * The Uploader throws plain RuntimeExceptions: the error's message for 400/401/403/404/420/500,
   * "Server returned unexpected status code - N - …" for the rest, "Invalid JSON response" for a
   * body that is no JSON. Thrown again as what they mean.
   */
  private static RuntimeException sorted(RuntimeException e)
      throws CloudinaryUnavailableException, CloudinaryRateLimitException, Refused {
    String message = Messages.oneLine(e);
    Matcher status = UNEXPECTED_STATUS.matcher(message);
    int code = status.lookingAt() ? Integer.parseInt(status.group(1)) : 0;
    if (code == 429 || code == 0 && message.startsWith("Rate Limit Exceeded")) {
      throw new CloudinaryRateLimitException(message, e);
    }
    boolean unavailable =
        code >= 500
            || code == 0
                && (message.startsWith("Invalid JSON response")
                    || message.startsWith("Internal")
                    || message.contains("Internal Server Error")
                    || message.contains("Service Unavailable"));
    if (unavailable) {
      throw new CloudinaryUnavailableException("the Upload API failed: " + message, e);
    }
    throw new Refused(message, e);
  }

  @FunctionalInterface
  private interface SdkCall {
    Object run() throws Exception;
  }
}
