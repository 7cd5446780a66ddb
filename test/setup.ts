// @peculiar/x509 resolves its ASN.1 providers through tsyringe, which needs the Reflect
// metadata polyfill loaded before anything imports it.
import "reflect-metadata";
