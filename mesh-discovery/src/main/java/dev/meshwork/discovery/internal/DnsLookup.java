package dev.meshwork.discovery.internal;

import dev.meshwork.core.Endpoint;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Turns DNS answers into endpoints, asynchronously, without a cache of its own: every refresh asks
 * the resolver, and the smallest TTL seen says when to ask again. Anything short of a usable answer
 * (an error code, a timeout, no records, an SRV target without addresses, a port 0) fails the
 * lookup, so the caller keeps its last good endpoints.
 */
public final class DnsLookup {
  private final Resolver resolver;
  private final Executor executor;

  /** What one lookup found, and for how long the answer may be trusted. */
  public record Answer(List<Endpoint> endpoints, long ttlSeconds) {}

  /** A lookup that found no usable answer; the message says why. */
  public static final class LookupFailed extends RuntimeException {
    private static final long serialVersionUID = 1L;

    LookupFailed(String message) {
      super(message, null, false, false);
    }
  }

  public DnsLookup(Resolver resolver, Executor executor) {
    this.resolver = resolver;
    this.executor = executor;
  }

  /**
   * The A and AAAA records of {@code name}, each an endpoint on {@code port}; an address given
   * twice (in two records, or as an A record and an IPv4-mapped AAAA record) is one endpoint.
   */
  public CompletionStage<Answer> addresses(Name name, int port) {
    return addressesOf(name, List.of())
        .thenApply(
            found -> {
              Map<String, Endpoint> unique = new LinkedHashMap<>();
              for (InetAddress address : found.addresses()) {
                Endpoint endpoint = Endpoint.of(text(address), port);
                unique.putIfAbsent(endpoint.address(), endpoint);
              }
              return new Answer(List.copyOf(unique.values()), found.ttl());
            });
  }

  /**
   * The SRV records of {@code name} with the lowest priority, each target resolved to its addresses
   * (from the answer's additional section when the server sent them). A single record whose target
   * is the root ({@code .}) is the DNS way of saying "no instances": an empty answer.
   */
  public CompletionStage<Answer> srv(Name name) {
    return query(name, Type.SRV)
        .thenCompose(
            message -> {
              List<SRVRecord> records = new ArrayList<>();
              long ttl = Long.MAX_VALUE;
              for (Record record : message.getSection(Section.ANSWER)) {
                if (record instanceof SRVRecord srv) {
                  records.add(srv);
                  ttl = Math.min(ttl, srv.getTTL());
                }
              }
              if (records.isEmpty()) {
                throw new LookupFailed(
                    "no SRV records for " + name + " (" + Rcode.string(message.getRcode()) + ")");
              }
              if (records.size() == 1 && records.get(0).getTarget().equals(Name.root)) {
                return CompletableFuture.completedFuture(new Answer(List.of(), ttl));
              }
              int priority = records.stream().mapToInt(SRVRecord::getPriority).min().orElseThrow();
              List<SRVRecord> preferred =
                  records.stream()
                      .filter(r -> r.getPriority() == priority)
                      .sorted(
                          Comparator.comparing(SRVRecord::getTarget)
                              .thenComparingInt(SRVRecord::getPort))
                      .toList();
              List<CompletableFuture<List<Endpoint>>> resolved = new ArrayList<>();
              long[] minTtl = {ttl};
              for (SRVRecord record : preferred) {
                if (record.getPort() == 0) {
                  throw new LookupFailed(
                      "SRV record " + name + " -> " + record.getTarget() + " has port 0");
                }
                List<Record> additional = message.getSection(Section.ADDITIONAL);
                resolved.add(
                    addressesOf(record.getTarget(), additional)
                        .thenApply(
                            found -> {
                              synchronized (minTtl) {
                                minTtl[0] = Math.min(minTtl[0], found.ttl());
                              }
                              // SRV weight 0 means "rarely"; the mesh's smallest weight is 1.
                              int weight =
                                  Math.max(1, Math.min(record.getWeight(), Endpoint.MAX_WEIGHT));
                              List<Endpoint> endpoints = new ArrayList<>();
                              for (InetAddress address : found.addresses()) {
                                endpoints.add(
                                    Endpoint.builder(text(address), record.getPort())
                                        .weight(weight)
                                        .build());
                              }
                              return endpoints;
                            })
                        .toCompletableFuture());
              }
              return CompletableFuture.allOf(resolved.toArray(CompletableFuture[]::new))
                  .thenApply(
                      done -> {
                        Map<String, Endpoint> unique = new LinkedHashMap<>();
                        for (CompletableFuture<List<Endpoint>> each : resolved) {
                          for (Endpoint endpoint : each.join()) {
                            unique.putIfAbsent(endpoint.address(), endpoint);
                          }
                        }
                        synchronized (minTtl) {
                          return new Answer(List.copyOf(unique.values()), minTtl[0]);
                        }
                      });
            });
  }

  private record Addresses(List<InetAddress> addresses, long ttl) {}

  private CompletionStage<Addresses> addressesOf(Name name, List<Record> known) {
    List<InetAddress> fromAdditional = new ArrayList<>();
    long knownTtl = Long.MAX_VALUE;
    for (Record record : known) {
      if (record.getName().equals(name)
          && (record instanceof ARecord || record instanceof AAAARecord)) {
        fromAdditional.add(address(record));
        knownTtl = Math.min(knownTtl, record.getTTL());
      }
    }
    if (!fromAdditional.isEmpty()) {
      return CompletableFuture.completedFuture(
          new Addresses(List.copyOf(fromAdditional), knownTtl));
    }
    CompletableFuture<Message> v4 = query(name, Type.A).toCompletableFuture();
    CompletableFuture<Message> v6 = query(name, Type.AAAA).toCompletableFuture();
    return v4.thenCombine(
        v6,
        (a, aaaa) -> {
          List<InetAddress> addresses = new ArrayList<>();
          long ttl = Long.MAX_VALUE;
          for (Message message : List.of(a, aaaa)) {
            for (Record record : message.getSection(Section.ANSWER)) {
              if (record instanceof ARecord || record instanceof AAAARecord) {
                addresses.add(address(record));
                ttl = Math.min(ttl, record.getTTL());
              }
            }
          }
          if (addresses.isEmpty()) {
            throw new LookupFailed(
                name
                    + " does not resolve (no A or AAAA records, "
                    + Rcode.string(a.getRcode())
                    + ")");
          }
          return new Addresses(List.copyOf(addresses), ttl);
        });
  }

  /** The address as an endpoint host; IPv6 in its short form (RFC 5952), as people write it. */
  static String text(InetAddress address) {
    if (!(address instanceof Inet6Address)) {
      return address.getHostAddress();
    }
    String[] groups = address.getHostAddress().replaceFirst("%.*$", "").split(":");
    int bestStart = -1;
    int bestLength = 1;
    for (int i = 0; i < groups.length; i++) {
      int length = 0;
      while (i + length < groups.length && groups[i + length].equals("0")) {
        length++;
      }
      if (length > bestLength) {
        bestStart = i;
        bestLength = length;
      }
    }
    if (bestStart < 0) {
      return String.join(":", groups);
    }
    String head = String.join(":", java.util.Arrays.copyOfRange(groups, 0, bestStart));
    String tail =
        String.join(
            ":", java.util.Arrays.copyOfRange(groups, bestStart + bestLength, groups.length));
    return head + "::" + tail;
  }

  private static InetAddress address(Record record) {
    return record instanceof ARecord a ? a.getAddress() : ((AAAARecord) record).getAddress();
  }

  /** One query; NOERROR and NXDOMAIN are answers (the caller judges them), other codes fail. */
  private CompletionStage<Message> query(Name name, int type) {
    Message query = Message.newQuery(Record.newRecord(name, type, DClass.IN));
    return resolver
        .sendAsync(query, executor)
        .thenApply(
            response -> {
              int rcode = response.getRcode();
              if (rcode != Rcode.NOERROR && rcode != Rcode.NXDOMAIN) {
                throw new LookupFailed(
                    Type.string(type) + " query for " + name + " answered " + Rcode.string(rcode));
              }
              return response;
            });
  }
}
