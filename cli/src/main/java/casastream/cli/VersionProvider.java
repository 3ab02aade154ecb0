package casastream.cli;

import picocli.CommandLine.IVersionProvider;

/** Reports the version Maven stamped into the jar's manifest ("development" when run from classes). */
final class VersionProvider implements IVersionProvider {

  @Override
  public String[] getVersion() {
    String version = CasaStreamCli.class.getPackage().getImplementationVersion();
    return new String[] {"casa-stream " + (version == null ? "development" : version)};
  }
}
