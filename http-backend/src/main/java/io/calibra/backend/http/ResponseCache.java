package io.calibra.backend.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Server responses on disk, one file per request: {@code <key>.json} holding {@code {"key": ...,
 * "response": ...}}. An entry that is not such JSON, or names another key, is corrupt: it is
 * ignored and rewritten by the next successful request. Thread-safe: concurrent writers of one key
 * each replace the file atomically.
 */
final class ResponseCache {
  private final Path dir;
  private final ObjectMapper mapper;

  ResponseCache(Path dir, ObjectMapper mapper) {
    this.dir = dir;
    this.mapper = mapper;
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot create the response cache folder " + dir + ": " + e.getMessage(), e);
    }
    if (!Files.isDirectory(dir)) {
      throw new IllegalArgumentException("response cache " + dir + " is not a folder");
    }
  }

  Path file(String key) {
    return dir.resolve(key + ".json");
  }

  /** The cached response for {@code key}, or null when there is none or it is corrupt. */
  JsonNode read(String key) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file(key));
    } catch (NoSuchFileException e) {
      return null;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read cache entry " + file(key) + ": " + e, e);
    }
    try {
      JsonNode entry = mapper.readTree(bytes);
      if (entry == null
          || !entry.isObject()
          || !key.equals(entry.path("key").asText(null))
          || !entry.path("response").isObject()) {
        return null;
      }
      return entry.get("response");
    } catch (JsonProcessingException e) {
      return null;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read cache entry " + file(key) + ": " + e, e);
    }
  }

  /** Stores {@code response} under {@code key}, atomically. */
  void write(String key, JsonNode response) {
    ObjectNode entry = mapper.createObjectNode();
    entry.put("key", key);
    entry.set("response", response);
    byte[] bytes;
    try {
      bytes = mapper.writeValueAsString(entry).getBytes(StandardCharsets.UTF_8);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise cache entry " + file(key), e);
    }
    io.calibra.io.AtomicOutput.write(file(key), bytes);
  }
}
