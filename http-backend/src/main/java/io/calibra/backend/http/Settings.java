package io.calibra.backend.http;

import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * The connection settings shared by both scorers, fixed when a builder builds. Holds the API key,
 * so {@link #toString()} leaves it out.
 */
final class Settings {
  final String baseUrl;
  final String model;
  final String apiKey;
  final String apiKeySource;
  final Duration connectTimeout;
  final Duration requestTimeout;
  final int maxRetries;
  final Duration initialBackoff;
  final Duration maxBackoff;
  final int maxInFlight;
  final Path cacheDir;
  final Sleeper sleeper;
  final long maxResponseBytes;
  final Consumer<String> notices;

  Settings(
      String baseUrl,
      String model,
      String apiKey,
      String apiKeySource,
      Duration connectTimeout,
      Duration requestTimeout,
      int maxRetries,
      Duration initialBackoff,
      Duration maxBackoff,
      int maxInFlight,
      Path cacheDir,
      Sleeper sleeper,
      long maxResponseBytes,
      Consumer<String> notices) {
    this.baseUrl = baseUrl;
    this.model = model;
    this.apiKey = apiKey;
    this.apiKeySource = apiKeySource;
    this.connectTimeout = connectTimeout;
    this.requestTimeout = requestTimeout;
    this.maxRetries = maxRetries;
    this.initialBackoff = initialBackoff;
    this.maxBackoff = maxBackoff;
    this.maxInFlight = maxInFlight;
    this.cacheDir = cacheDir;
    this.sleeper = sleeper;
    this.maxResponseBytes = maxResponseBytes;
    this.notices = notices;
  }

  @Override
  public String toString() {
    return "Settings{"
        + baseUrl
        + ", model "
        + model
        + (apiKey == null ? "" : ", with a key")
        + "}";
  }
}
