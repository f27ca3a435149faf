package io.calibra.backend.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

/**
 * An in-process OpenAI-compatible server on 127.0.0.1 (the JDK's {@code com.sun.net.httpserver})
 * that answers {@code /v1/completions} (with echo) and {@code /v1/chat/completions} in the
 * documented response shapes, with the real token log-probabilities of the GPT-2 fixture. Faults
 * queued with {@link #enqueue} answer the next requests instead, one each. It records every
 * request's body and Authorization header, and the most requests it served at once.
 */
public final class FakeOpenAiServer implements AutoCloseable {
  /** Answers one request instead of the model; must send a response or close the connection. */
  @FunctionalInterface
  public interface Fault {
    /** Handles the exchange; {@code normal} computes the model's answer. */
    void handle(HttpExchange exchange, JsonNode request, UnaryOperator<ObjectNode> normal)
        throws IOException;
  }

  private final ObjectMapper mapper = new ObjectMapper();
  private final Gpt2Fixture model;
  private final HttpServer server;
  private final ExecutorService executor = Executors.newCachedThreadPool();
  private final Queue<Fault> faults = new ConcurrentLinkedQueue<>();
  private final List<String> bodies = Collections.synchronizedList(new ArrayList<>());
  private final List<String> authorizations = Collections.synchronizedList(new ArrayList<>());
  private final AtomicInteger current = new AtomicInteger();
  private final AtomicInteger maxConcurrent = new AtomicInteger();
  private final CountDownLatch released = new CountDownLatch(1);
  private volatile boolean reverseChoices;
  private volatile int delayMillis;
  private volatile boolean refuseListPrompts;
  private volatile boolean refuseIntegerLogitBias;

  /** Starts a server backed by {@code model}. */
  public FakeOpenAiServer(Gpt2Fixture model) {
    this.model = model;
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.setExecutor(executor);
    server.createContext("/v1/", this::handle);
    server.start();
  }

  /** The base URL, {@code http://127.0.0.1:PORT/v1}. */
  public String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
  }

  /** Requests received so far. */
  public int requests() {
    return bodies.size();
  }

  /** The request bodies received, in order. */
  public List<String> bodies() {
    return List.copyOf(bodies);
  }

  /** The Authorization headers received (empty string when absent), in order. */
  public List<String> authorizations() {
    return List.copyOf(authorizations);
  }

  /** The most requests being answered at once. */
  public int maxConcurrent() {
    return maxConcurrent.get();
  }

  /** Queues a fault for the next request that finds the queue non-empty. */
  public FakeOpenAiServer enqueue(Fault fault) {
    faults.add(fault);
    return this;
  }

  /** Answers with the choices in reverse order (they carry their index). */
  public FakeOpenAiServer reverseChoices(boolean reverse) {
    this.reverseChoices = reverse;
    return this;
  }

  /**
   * Answers a completions request whose prompt is a JSON list with HTTP 400 "prompt must be a
   * string", as Hugging Face's {@code transformers serve} does.
   */
  public FakeOpenAiServer refuseListPrompts(boolean refuse) {
    this.refuseListPrompts = refuse;
    return this;
  }

  /**
   * Answers a request whose {@code logit_bias} holds a JSON integer with HTTP 500, as {@code
   * transformers serve} does (it accepts 100.0, not 100).
   */
  public FakeOpenAiServer refuseIntegerLogitBias(boolean refuse) {
    this.refuseIntegerLogitBias = refuse;
    return this;
  }

  /** Holds every answer this long, so that requests overlap. */
  public FakeOpenAiServer delay(int millis) {
    this.delayMillis = millis;
    return this;
  }

  private void handle(HttpExchange exchange) throws IOException {
    int now = current.incrementAndGet();
    maxConcurrent.accumulateAndGet(now, Math::max);
    try (exchange) {
      byte[] raw = exchange.getRequestBody().readAllBytes();
      String body = new String(raw, StandardCharsets.UTF_8);
      bodies.add(body);
      String auth = exchange.getRequestHeaders().getFirst("Authorization");
      authorizations.add(auth == null ? "" : auth);
      if (delayMillis > 0) {
        Thread.sleep(delayMillis);
      }
      JsonNode request = mapper.readTree(body);
      String path = exchange.getRequestURI().getPath();
      UnaryOperator<ObjectNode> normal =
          ignored -> path.endsWith("/chat/completions") ? chat(request) : completions(request);
      Fault fault = faults.poll();
      boolean integerBias = false;
      for (JsonNode v : request.path("logit_bias")) {
        integerBias |= v.isIntegralNumber();
      }
      if (refuseListPrompts && request.path("prompt").isArray()) {
        send(exchange, 400, "{\"error\":\"prompt must be a string\"}");
      } else if (refuseIntegerLogitBias && integerBias) {
        send(exchange, 500, "{\"error\":\"Internal Server Error\"}");
      } else if (fault != null) {
        fault.handle(exchange, request, normal);
      } else if (!path.endsWith("/completions")) {
        send(exchange, 404, "{\"error\":{\"message\":\"no route " + path + "\"}}");
      } else {
        send(exchange, 200, mapper.writeValueAsString(normal.apply(null)));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      send(exchange, 500, "{\"error\":{\"message\":\"fake server failed: " + e + "\"}}");
    } finally {
      current.decrementAndGet();
    }
  }

  /** Sends a status and body. */
  public static void send(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  private ObjectNode completions(JsonNode request) {
    if (!request.path("echo").asBoolean(false)) {
      return sampling(request);
    }
    int maxTokens = request.path("max_tokens").asInt(16);
    JsonNode given = request.get("prompt");
    ArrayNode prompts = given.isArray() ? (ArrayNode) given : mapper.createArrayNode().add(given);
    ObjectNode response = mapper.createObjectNode();
    response.put("id", "cmpl-fake");
    response.put("object", "text_completion");
    response.put("model", request.path("model").asText());
    ArrayNode choices = response.putArray("choices");
    List<ObjectNode> list = new ArrayList<>();
    for (int i = 0; i < prompts.size(); i++) {
      String text = prompts.get(i).asText();
      Gpt2Fixture.Tokens t = model.run(text);
      ObjectNode choice = mapper.createObjectNode();
      choice.put("index", i);
      ObjectNode logprobs = mapper.createObjectNode();
      ArrayNode tokens = logprobs.putArray("tokens");
      ArrayNode values = logprobs.putArray("token_logprobs");
      ArrayNode offsets = logprobs.putArray("text_offset");
      int offset = 0;
      for (int j = 0; j < t.ids().length; j++) {
        String token = t.texts().get(j);
        tokens.add(token);
        if (j == 0) {
          values.addNull();
        } else {
          values.add(t.logprobs()[j]);
        }
        offsets.add(offset);
        offset += token.codePointCount(0, token.length());
      }
      String generated = "";
      if (maxTokens > 0) {
        int best = argmax(t.next());
        generated = model.decode(best);
        tokens.add(generated);
        values.add(t.next()[best]);
        offsets.add(offset);
      }
      logprobs.putNull("top_logprobs");
      choice.put("text", text + generated);
      choice.set("logprobs", logprobs);
      choice.put("finish_reason", "length");
      list.add(choice);
    }
    if (reverseChoices) {
      Collections.reverse(list);
    }
    list.forEach(choices::add);
    return response;
  }

  /**
   * A sampling request ({@code temperature} 1, no echo): {@code n} continuations drawn from the
   * GPT-2 fixture's next-token distribution with {@code java.util.Random(seed + index)}, each up to
   * {@code max_tokens} tokens, ending before the first {@code stop} string (cut, as servers do).
   */
  private ObjectNode sampling(JsonNode request) {
    if (request.path("temperature").asDouble(-1) != 1) {
      throw new IllegalArgumentException("this fake samples at temperature 1 only");
    }
    String prompt = request.path("prompt").asText();
    int n = request.path("n").asInt(1);
    int maxTokens = request.path("max_tokens").asInt(16);
    long seed = request.path("seed").asLong(0);
    String stop = request.path("stop").isArray() ? request.path("stop").get(0).asText() : null;
    ObjectNode response = mapper.createObjectNode();
    response.put("id", "cmpl-fake");
    response.put("object", "text_completion");
    ArrayNode choices = response.putArray("choices");
    for (int i = 0; i < n; i++) {
      java.util.Random random = new java.util.Random(seed + i);
      StringBuilder text = new StringBuilder();
      String finish = "length";
      for (int t = 0; t < maxTokens; t++) {
        double[] next = model.run(prompt + text).next();
        double u = random.nextDouble();
        double cumulative = 0;
        int token = next.length - 1;
        for (int v = 0; v < next.length; v++) {
          cumulative += Math.exp(next[v]);
          if (cumulative > u) {
            token = v;
            break;
          }
        }
        text.append(model.decode(token));
        if (stop != null && text.indexOf(stop) >= 0) {
          text.setLength(text.indexOf(stop));
          finish = "stop";
          break;
        }
      }
      ObjectNode choice = choices.addObject();
      choice.put("index", i);
      choice.put("text", text.toString());
      choice.put("finish_reason", finish);
    }
    return response;
  }

  private ObjectNode chat(JsonNode request) {
    String prompt = request.path("messages").get(0).path("content").asText();
    int k = request.path("top_logprobs").asInt(0);
    double[] next = model.run(prompt).next().clone();
    JsonNode bias = request.get("logit_bias");
    if (bias != null && bias.isObject()) {
      // the bias is added to the logits: add it to the log-probabilities and renormalise
      bias.properties().forEach(e -> next[Integer.parseInt(e.getKey())] += e.getValue().asDouble());
      double max = java.util.Arrays.stream(next).max().orElseThrow();
      double sum = 0;
      for (double v : next) {
        sum += Math.exp(v - max);
      }
      double lse = max + Math.log(sum);
      for (int i = 0; i < next.length; i++) {
        next[i] -= lse;
      }
    }
    Integer[] order = new Integer[next.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    java.util.Arrays.sort(order, (a, b) -> Double.compare(next[b], next[a]));
    ObjectNode response = mapper.createObjectNode();
    response.put("id", "chatcmpl-fake");
    response.put("object", "chat.completion");
    ObjectNode choice = response.putArray("choices").addObject();
    choice.put("index", 0);
    String first = model.decode(order[0]);
    choice.putObject("message").put("role", "assistant").put("content", first);
    ObjectNode content = choice.putObject("logprobs").putArray("content").addObject();
    content.put("token", first);
    content.put("logprob", next[order[0]]);
    ArrayNode top = content.putArray("top_logprobs");
    for (int r = 0; r < Math.min(k, order.length); r++) {
      top.addObject().put("token", model.decode(order[r])).put("logprob", next[order[r]]);
    }
    choice.put("finish_reason", "length");
    return response;
  }

  private static int argmax(double[] v) {
    int best = 0;
    for (int i = 1; i < v.length; i++) {
      if (v[i] > v[best]) {
        best = i;
      }
    }
    return best;
  }

  // ---- faults ----

  /** Answers with {@code status}, {@code body} and header pairs. */
  public static Fault status(int status, String body, String... headers) {
    return (exchange, request, normal) -> {
      for (int i = 0; i + 1 < headers.length; i += 2) {
        exchange.getResponseHeaders().set(headers[i], headers[i + 1]);
      }
      send(exchange, status, body);
    };
  }

  /** The model's answer, changed by {@code edit}. */
  public static Fault edited(UnaryOperator<ObjectNode> edit) {
    return (exchange, request, normal) ->
        send(exchange, 200, new ObjectMapper().writeValueAsString(edit.apply(normal.apply(null))));
  }

  /** A 200 answer whose JSON body is cut in half (with a matching Content-Length). */
  public static Fault truncatedJson() {
    return (exchange, request, normal) -> {
      String json = new ObjectMapper().writeValueAsString(normal.apply(null));
      send(exchange, 200, json.substring(0, json.length() / 2));
    };
  }

  /** Promises 100000 bytes, sends a few and drops the connection. */
  public static Fault brokenConnection() {
    return (exchange, request, normal) -> {
      exchange.sendResponseHeaders(200, 100_000);
      OutputStream out = exchange.getResponseBody();
      out.write("{\"choices\":".getBytes(StandardCharsets.UTF_8));
      out.flush();
      exchange.close();
    };
  }

  /**
   * The model's answer with the request's Authorization header copied into it (as a field {@code
   * "echo"}), as a server or proxy that reflects the request does.
   */
  public static Fault echoAuthorization() {
    return (exchange, request, normal) -> {
      ObjectNode answer = normal.apply(null);
      String auth = exchange.getRequestHeaders().getFirst("Authorization");
      answer.putObject("echo").put("authorization", auth).put(auth == null ? "none" : auth, 1);
      send(exchange, 200, new ObjectMapper().writeValueAsString(answer));
    };
  }

  /**
   * A 200 answer of {@code bytes} bytes (a JSON object with one long string), streamed in 64 KiB
   * pieces; with {@code declared} the length is sent as Content-Length, otherwise the body is
   * chunked. Stops quietly when the client hangs up.
   */
  public static Fault huge(long bytes, boolean declared) {
    return (exchange, request, normal) -> {
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, declared ? bytes : 0);
      byte[] piece = new byte[1 << 16];
      java.util.Arrays.fill(piece, (byte) 'x');
      try (OutputStream out = exchange.getResponseBody()) {
        byte[] head = "{\"x\":\"".getBytes(StandardCharsets.UTF_8);
        out.write(head);
        long left = bytes - head.length - 2;
        while (left > 0) {
          int n = (int) Math.min(piece.length, left);
          out.write(piece, 0, n);
          left -= n;
        }
        out.write("\"}".getBytes(StandardCharsets.UTF_8));
      } catch (IOException e) {
        // the client stopped reading: expected
      }
    };
  }

  /** Holds the request until the server closes (the client's timeout must fire first). */
  public Fault hang() {
    return (exchange, request, normal) -> {
      try {
        released.await(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    };
  }

  @Override
  public void close() {
    released.countDown();
    server.stop(0);
    executor.shutdownNow();
  }
}
