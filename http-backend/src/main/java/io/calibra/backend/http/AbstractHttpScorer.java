package io.calibra.backend.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.calibra.backend.ScoreKind;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** What both HTTP scorers share: the transport, the request threads, identity and counters. */
abstract class AbstractHttpScorer implements HttpScorer {
  private static final AtomicInteger POOLS = new AtomicInteger();

  final Settings settings;
  final ObjectMapper mapper = new ObjectMapper();
  final Transport transport;
  final AtomicLong bounded = new AtomicLong();
  private final ExecutorService executor;

  AbstractHttpScorer(Settings settings) {
    this.settings = settings;
    this.transport = new Transport(settings, mapper);
    int pool = POOLS.incrementAndGet();
    AtomicInteger threads = new AtomicInteger();
    this.executor =
        Executors.newFixedThreadPool(
            settings.maxInFlight,
            r -> {
              Thread t = new Thread(r, "calibra-http-" + pool + "-" + threads.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
  }

  /** The endpoint kind in identifiers: {@code completions} or {@code chat}. */
  abstract String endpointKind();

  /** The settings that change the scores, for the fingerprint. */
  abstract String scoreSettings();

  @Override
  public String modelId() {
    return "openai-" + endpointKind() + ":" + settings.model + "@" + settings.baseUrl;
  }

  @Override
  public ScoreKind kind() {
    return ScoreKind.LOG_PROBABILITY;
  }

  /** A stable SHA-256 of endpoint kind, base URL, model and settings; never the API key. */
  @Override
  public String fingerprint() {
    return Transport.sha256(
        "calibra-http-scorer/1\n"
            + endpointKind()
            + "\n"
            + settings.baseUrl
            + "\n"
            + settings.model
            + "\n"
            + scoreSettings());
  }

  @Override
  public long requestsSent() {
    return transport.requests();
  }

  @Override
  public long cacheHits() {
    return transport.cacheHits();
  }

  @Override
  public long boundedRows() {
    return bounded.get();
  }

  static String requirePrompt(List<String> prompts, int i) {
    String prompt = prompts.get(i);
    if (prompt == null) {
      throw new IllegalArgumentException("prompt " + i + " is null; expected a string");
    }
    return prompt;
  }

  /** Runs the tasks on the request threads and waits; the first failure cancels the rest. */
  void runAll(List<Runnable> tasks) {
    if (tasks.size() == 1) {
      tasks.get(0).run();
      return;
    }
    List<Future<?>> futures = new ArrayList<>(tasks.size());
    for (Runnable task : tasks) {
      futures.add(executor.submit(task));
    }
    try {
      for (Future<?> f : futures) {
        f.get();
      }
    } catch (InterruptedException e) {
      futures.forEach(f -> f.cancel(true));
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while scoring with " + modelId(), e);
    } catch (ExecutionException e) {
      futures.forEach(f -> f.cancel(true));
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException re) {
        throw re;
      }
      if (cause instanceof Error err) {
        throw err;
      }
      throw new IllegalStateException("scoring with " + modelId() + " failed: " + cause, cause);
    } catch (CancellationException e) {
      throw new IllegalStateException("scoring with " + modelId() + " was cancelled", e);
    }
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }

  @Override
  public String toString() {
    return getClass().getSimpleName() + "{" + modelId() + "}";
  }
}
