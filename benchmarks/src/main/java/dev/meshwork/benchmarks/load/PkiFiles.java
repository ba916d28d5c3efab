package dev.meshwork.benchmarks.load;

import java.nio.file.Path;

/**
 * The PEM files of a run, whoever issued them: what nginx serves and trusts, what HAProxy and the
 * clients present. Keys are owner-only.
 *
 * @param serverKey nginx's private key
 * @param serverChain nginx's certificate chain (the SVID of {@value HarnessPki#BACKEND})
 * @param trustBundle the CA certificates every party trusts
 * @param callerKey the caller's private key ({@value HarnessPki#CALLER})
 * @param callerChain the caller's certificate chain
 * @param callerCertAndKey the caller's chain followed by its key, in one file (HAProxy's {@code
 *     crt})
 * @param caDirectory an owner-only directory holding the CA as {@code ca.pem} and {@code
 *     ca-key.pem}, which {@code BuiltInCa.builder().load} reads; null when the CA is not on disk
 */
record PkiFiles(
    Path serverKey,
    Path serverChain,
    Path trustBundle,
    Path callerKey,
    Path callerChain,
    Path callerCertAndKey,
    Path caDirectory) {}
