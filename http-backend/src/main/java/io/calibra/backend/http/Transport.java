package io.calibra.backend.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * POSTs JSON to one server with timeouts, retries, an in-flight limit, a size limit on answers and
 * the optional cache. Thread-safe. Messages never contain the API key: server messages are redacted
 * before use, and so is every answer before the cache keeps it.
 */
final class Transport {
  /** Statuses worth retrying: rate limits and transient server failures. */
  static final Set<Integer> RETRIED = Set.of(429, 500, 502, 503, 504);

  private static final int MAX_MESSAGE = 300;

  private final Settings settings;
  private final ObjectMapper mapper;
  private final HttpClient client;
  private final Semaphore inFlight;
  private final ResponseCache cache;
  private final AtomicLong requests = new AtomicLong();
  private final AtomicLong cacheHits = new AtomicLong();

  Transport(Settings settings, ObjectMapper mapper) {
    this.settings = settings;
    this.mapper = mapper;
    this.client =
        HttpClient.newBuilder()
            // HTTP/1.1: no h2c upgrade attempt on plain-http local servers
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(settings.connectTimeout)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
    this.inFlight = new Semaphore(settings.maxInFlight, true);
    this.cache =
        settings.cacheDir == null
            ? null
            : new ResponseCache(settings.cacheDir, mapper, settings.maxResponseBytes);
  }

  long requests() {
    return requests.get();
  }

  long cacheHits() {
    return cacheHits.get();
  }

  /** A parsed response; {@link #remember} puts it in the cache once the scorer has accepted it. */
  record Response(JsonNode json, String cacheKey, boolean cached) {}

  /**
   * POSTs {@code body} to {@code base + path}, or reads the answer from the cache. A cached answer
   * that {@code check} refuses (it throws) is discarded and fetched again, so a damaged or planted
   * entry is never blamed on the server; the server's own answer is returned unchecked, for the
   * caller to check.
   *
   * @param what the prompts this request is for, for messages
   * @throws ServerException if the server fails or answers with something that is not JSON
   */
  Response post(String path, ObjectNode body, String what, Consumer<JsonNode> check) {
    String json;
    try {
      json = mapper.writeValueAsString(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot encode the request for " + what + ": " + e, e);
    }
    String key = cache == null ? null : cacheKey(settings.baseUrl, settings.model, json);
    if (cache != null) {
      JsonNode hit = cache.read(key);
      if (hit != null) {
        try {
          if (!ServedLogProbability.allValid(hit)) {
            throw new IllegalStateException("a cached log-probability breaks the rule");
          }
          check.accept(hit);
          cacheHits.incrementAndGet();
          return new Response(hit, key, true);
        } catch (IllegalStateException | IllegalArgumentException e) {
          cache.discard(key);
        }
      }
    }
    String url = settings.baseUrl + path;
    String text = send(url, json, what);
    if (text == null) {
      text = "";
    }
    try {
      JsonNode parsed = mapper.readTree(text);
      if (parsed == null || !parsed.isObject()) {
        throw new ServerException(
            "server "
                + url
                + " answered "
                + what
                + " with "
                + shorten(text)
                + "; expected a JSON object");
      }
      return new Response(parsed, key, false);
    } catch (JsonProcessingException e) {
      throw new ServerException(
          "server "
              + url
              + " answered "
              + what
              + " with invalid or truncated JSON ("
              + e.getOriginalMessage()
              + "): "
              + shorten(text),
          e);
    }
  }

  /**
   * Caches an accepted response (does nothing without a cache or for a cached one), with every
   * occurrence of the API key in its names and texts replaced by {@code [API key]}: a server or
   * proxy that echoes the Authorization header must not put the key on disk. Request headers are
   * never stored.
   */
  void remember(Response response) {
    if (cache != null && !response.cached()) {
      try {
        cache.write(response.cacheKey(), redact(response.json()));
      } catch (java.io.UncheckedIOException e) {
        // the answer itself is fine: score on, and say that a re-run will ask again
        settings.notices.accept(e.getMessage() + "; the answer is used but not kept");
      }
    }
  }

  /** {@code node} with the API key replaced in every field name and text (a copy when needed). */
  JsonNode redact(JsonNode node) {
    String key = settings.apiKey;
    if (key == null || key.isEmpty()) {
      return node;
    }
    if (node.isTextual()) {
      String text = node.asText();
      return text.contains(key) ? JsonNodeFactory.instance.textNode(redact(text)) : node;
    }
    if (node.isArray()) {
      ArrayNode copy = JsonNodeFactory.instance.arrayNode(node.size());
      node.forEach(child -> copy.add(redact(child)));
      return copy;
    }
    if (node.isObject()) {
      ObjectNode copy = JsonNodeFactory.instance.objectNode();
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        copy.set(redact(field.getKey()), redact(field.getValue()));
      }
      return copy;
    }
    return node;
  }

  static String cacheKey(String baseUrl, String model, String body) {
    return sha256(baseUrl + "\n" + model + "\n" + body);
  }

  static String sha256(String text) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("this Java runtime has no SHA-256", e);
    }
  }

  private String send(String url, String json, String what) {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(URI.create(url))
            .timeout(settings.requestTimeout)
            .header("Content-Type", "application/json")
            .header("Accept", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8));
    if (settings.apiKey != null) {
      builder.header("Authorization", "Bearer " + settings.apiKey);
    }
    HttpRequest request = builder.build();
    String lastFailure = null;
    Duration wait = Duration.ZERO;
    for (int attempt = 0; ; attempt++) {
      if (attempt > 0) {
        settings.notices.accept(
            "server "
                + url
                + ": "
                + lastFailure
                + " for "
                + what
                + "; retry "
                + attempt
                + " of "
                + settings.maxRetries
                + " in "
                + seconds(wait));
        sleep(wait, what);
      }
      Duration retryAfter = null;
      try {
        HttpResponse<String> response = exchange(request, url, what);
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
          return response.body();
        }
        String message = serverMessage(response.body());
        if (!RETRIED.contains(status)) {
          throw new HttpStatusException(
              "server "
                  + url
                  + " answered "
                  + what
                  + " with HTTP "
                  + status
                  + ": "
                  + message
                  + hint(status),
              status,
              message);
        }
        lastFailure = "HTTP " + status + ": " + message;
        retryAfter = retryAfter(response.headers().firstValue("Retry-After").orElse(null));
      } catch (ConnectException e) {
        throw new ServerException(
            "cannot connect to server "
                + url
                + " for "
                + what
                + ": "
                + (e.getMessage() == null ? "connection refused" : redact(e.getMessage()))
                + "; is it running, and is the port right?",
            e);
      } catch (HttpTimeoutException | TimeoutException e) {
        lastFailure =
            "no answer within the timeout of "
                + seconds(settings.requestTimeout)
                + " (--timeout, OpenAiScorers requestTimeout)";
      } catch (IOException e) {
        lastFailure = "the connection failed (" + describe(e) + ")";
      }
      if (attempt >= settings.maxRetries) {
        break;
      }
      wait = backoff(attempt + 1);
      if (retryAfter != null && retryAfter.compareTo(wait) > 0) {
        wait = retryAfter;
      }
    }
    throw new ServerException(
        "server "
            + url
            + " failed "
            + (settings.maxRetries + 1)
            + " requests for "
            + what
            + " (gave up after "
            + settings.maxRetries
            + " retries); the last: "
            + lastFailure);
  }

  /** An HTTP status that is not retried, with the server's own message (redacted). */
  static final class HttpStatusException extends ServerException {
    private static final long serialVersionUID = 1L;

    final int status;
    final String serverMessage;

    HttpStatusException(String message, int status, String serverMessage) {
      super(message);
      this.status = status;
      this.serverMessage = serverMessage;
    }
  }

  private static String seconds(Duration d) {
    return java.math.BigDecimal.valueOf(d.toMillis())
            .movePointLeft(3)
            .stripTrailingZeros()
            .toPlainString()
        + " s";
  }

  private String hint(int status) {
    if (status == 401 || status == 403) {
      return "; check the API key"
          + (settings.apiKeySource == null ? " (none was sent)" : " in " + settings.apiKeySource);
    }
    if (status == 404) {
      return "; check the base URL (it usually ends in /v1) and the model name";
    }
    return "";
  }

  private HttpResponse<String> exchange(HttpRequest request, String url, String what)
      throws IOException, TimeoutException {
    inFlight.acquireUninterruptibly();
    try {
      requests.incrementAndGet();
      CompletableFuture<HttpResponse<String>> future =
          client.sendAsync(request, info -> new BoundedBody(info, settings.maxResponseBytes));
      try {
        return future.get(settings.requestTimeout.toMillis(), TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        future.cancel(true);
        throw e;
      } catch (InterruptedException e) {
        future.cancel(true);
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for the server", e);
      } catch (ExecutionException e) {
        Throwable cause = e.getCause();
        for (Throwable c = cause; c != null; c = c.getCause()) {
          if (c instanceof BoundedBody.TooLarge) {
            throw new ServerException(
                "server "
                    + url
                    + " answered "
                    + what
                    + " with more than "
                    + settings.maxResponseBytes
                    + " bytes, the limit on an answer (--max-response-mib, OpenAiScorers"
                    + " maxResponseBytes); raise it if the answer is expected to be that large,"
                    + " or send fewer prompts per request",
                c);
          }
        }
        if (cause instanceof IOException io) {
          throw io;
        }
        if (cause instanceof RuntimeException re) {
          throw re;
        }
        throw new ServerException(
            "the request to server " + url + " for " + what + " failed: " + describe(cause), cause);
      }
    } finally {
      inFlight.release();
    }
  }

  private void sleep(Duration d, String what) {
    try {
      settings.sleeper.sleep(d);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting to retry " + what, e);
    }
  }

  /** Exponential backoff with jitter: a random time in [d/2, d], d = initial * 2^(retry-1). */
  Duration backoff(int retry) {
    long initial = settings.initialBackoff.toMillis();
    long cap = settings.maxBackoff.toMillis();
    long d = initial;
    for (int i = 1; i < retry && d < cap; i++) {
      d *= 2;
    }
    d = Math.min(d, cap);
    long half = d / 2;
    return Duration.ofMillis(
        half + (d - half == 0 ? 0 : ThreadLocalRandom.current().nextLong(d - half + 1)));
  }

  /** The longest {@code Retry-After} honoured. */
  static final Duration MAX_RETRY_AFTER = Duration.ofMinutes(2);

  /** Parses {@code Retry-After} (seconds or an HTTP date); null when absent or unreadable. */
  static Duration retryAfter(String header) {
    if (header == null || header.isBlank()) {
      return null;
    }
    String v = header.trim();
    Duration d;
    if (v.matches("\\d{1,9}")) {
      d = Duration.ofSeconds(Long.parseLong(v));
    } else {
      try {
        d =
            Duration.between(
                ZonedDateTime.now(), ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME));
      } catch (DateTimeParseException e) {
        return null;
      }
      if (d.isNegative()) {
        d = Duration.ZERO;
      }
    }
    return d.compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER : d;
  }

  /**
   * The server's error message: {@code error.message}, {@code error}, {@code message} or the body.
   */
  private String serverMessage(String body) {
    String message = body == null ? "" : body;
    try {
      JsonNode node = mapper.readTree(message);
      if (node != null && node.isObject()) {
        JsonNode error = node.get("error");
        if (error != null && error.isObject() && error.path("message").isTextual()) {
          message = error.get("message").asText();
        } else if (error != null && error.isTextual()) {
          message = error.asText();
        } else if (node.path("message").isTextual()) {
          message = node.get("message").asText();
        }
      }
    } catch (JsonProcessingException e) {
      // not JSON: the body itself is the message
    }
    return message.isBlank() ? "(empty body)" : shorten(message);
  }

  /** Cuts long text and removes the API key, should a server echo it. */
  String shorten(String text) {
    String t = redact(text == null ? "" : text.strip());
    return t.length() <= MAX_MESSAGE ? t : t.substring(0, MAX_MESSAGE) + "...";
  }

  String redact(String text) {
    String key = settings.apiKey;
    return key == null || key.isEmpty() ? text : text.replace(key, "[API key]");
  }

  private String describe(Throwable e) {
    String m = e.getMessage();
    return redact(e.getClass().getSimpleName() + (m == null ? "" : ": " + m));
  }
}
