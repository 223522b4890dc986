package io.github.cloudinarybackup.download;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.apache.hc.client5.http.HttpRoute;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.io.ConnectionEndpoint;
import org.apache.hc.client5.http.io.HttpClientConnectionManager;
import org.apache.hc.client5.http.io.LeaseRequest;
import org.apache.hc.core5.http.protocol.HttpContext;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;

/**
 * The download client's connection pool, which can cut the connection a given thread is using: the
 * way a whole-download deadline or a stopping run ends a download that is waiting for a server that
 * never answers, trickles, or never stops sending. The socket is closed from outside (as
 * HttpClient's own request cancellation does), so the blocked read fails at once.
 */
public final class AbortableConnections implements HttpClientConnectionManager {

  private final PoolingHttpClientConnectionManager pool;

  /** The connection each thread has leased and not yet given back. */
  private final Map<Thread, ConnectionEndpoint> leased = new ConcurrentHashMap<>();

  /**
   * @param connections connections kept at most (per host and in all)
   * @param connectTimeoutMillis how long a connection may take to open
   * @param silenceTimeoutMillis how long a read may wait for the next bytes
   */
  public AbortableConnections(
      int connections, long connectTimeoutMillis, long silenceTimeoutMillis) {
    this.pool =
        PoolingHttpClientConnectionManagerBuilder.create()
            .setMaxConnTotal(connections)
            .setMaxConnPerRoute(connections)
            .setDefaultConnectionConfig(
                ConnectionConfig.custom()
                    .setConnectTimeout(Timeout.ofMilliseconds(connectTimeoutMillis))
                    .setSocketTimeout(Timeout.ofMilliseconds(silenceTimeoutMillis))
                    .build())
            .build();
  }

  /** Closes the connection {@code thread} is using, if any; its blocked read or write fails. */
  public void abort(Thread thread) {
    ConnectionEndpoint endpoint = leased.get(thread);
    if (endpoint != null) {
      endpoint.close(CloseMode.IMMEDIATE);
    }
  }

  @Override
  public LeaseRequest lease(String id, HttpRoute route, Timeout requestTimeout, Object state) {
    LeaseRequest request = pool.lease(id, route, requestTimeout, state);
    return new LeaseRequest() {
      @Override
      public ConnectionEndpoint get(Timeout timeout)
          throws InterruptedException, ExecutionException, TimeoutException {
        ConnectionEndpoint endpoint = request.get(timeout);
        // the thread that leases is the one that sends the request and reads the answer
        leased.put(Thread.currentThread(), endpoint);
        return endpoint;
      }

      @Override
      public boolean cancel() {
        return request.cancel();
      }
    };
  }

  @Override
  public void release(ConnectionEndpoint endpoint, Object newState, TimeValue validDuration) {
    leased.values().remove(endpoint);
    pool.release(endpoint, newState, validDuration);
  }

  @Override
  public void connect(ConnectionEndpoint endpoint, TimeValue connectTimeout, HttpContext context)
      throws IOException {
    pool.connect(endpoint, connectTimeout, context);
  }

  @Override
  public void upgrade(ConnectionEndpoint endpoint, HttpContext context) throws IOException {
    pool.upgrade(endpoint, context);
  }

  @Override
  public void close(CloseMode closeMode) {
    pool.close(closeMode);
  }

  @Override
  public void close() throws IOException {
    pool.close();
  }
}
