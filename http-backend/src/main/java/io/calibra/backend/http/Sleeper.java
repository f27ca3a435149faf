package io.calibra.backend.http;

import java.time.Duration;

/** Waits between retries; tests replace it to record the waits instead of sleeping. */
interface Sleeper {
  /** The real one: {@link Thread#sleep}. */
  Sleeper SYSTEM = d -> Thread.sleep(d.toMillis());

  void sleep(Duration duration) throws InterruptedException;
}
