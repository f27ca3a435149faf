package io.calibra.backend.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * Collects an answer's body as UTF-8 text up to {@code limit} bytes; a declared or received length
 * over it cancels the download and fails with {@link TooLarge}, so a huge answer never fills the
 * memory.
 */
final class BoundedBody implements HttpResponse.BodySubscriber<String> {
  /** An answer over the size limit. */
  static final class TooLarge extends IOException {
    private static final long serialVersionUID = 1L;

    TooLarge(long limit) {
      super("the answer is larger than " + limit + " bytes");
    }
  }

  private final long limit;
  private final long declared;
  private final CompletableFuture<String> result = new CompletableFuture<>();
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private Flow.Subscription subscription;

  BoundedBody(HttpResponse.ResponseInfo info, long limit) {
    this.limit = limit;
    this.declared = info.headers().firstValueAsLong("Content-Length").orElse(-1);
  }

  @Override
  public CompletionStage<String> getBody() {
    return result;
  }

  @Override
  public void onSubscribe(Flow.Subscription s) {
    subscription = s;
    if (declared > limit) {
      s.cancel();
      result.completeExceptionally(new TooLarge(limit));
    } else {
      s.request(Long.MAX_VALUE);
    }
  }

  @Override
  public void onNext(List<ByteBuffer> buffers) {
    if (result.isDone()) {
      return;
    }
    for (ByteBuffer b : buffers) {
      if (bytes.size() + (long) b.remaining() > limit) {
        subscription.cancel();
        result.completeExceptionally(new TooLarge(limit));
        return;
      }
      byte[] chunk = new byte[b.remaining()];
      b.get(chunk);
      bytes.write(chunk, 0, chunk.length);
    }
  }

  @Override
  public void onError(Throwable e) {
    result.completeExceptionally(e);
  }

  @Override
  public void onComplete() {
    result.complete(bytes.toString(StandardCharsets.UTF_8));
  }
}
