package casastream.operators.reliability;

import casastream.schemas.DeadLetterReason;

/**
 * One message of the hostile corpus: the Kafka key and value exactly as a broken or malicious
 * producer would send them, and the dead-letter reason the validation stage must give.
 *
 * @param name what is wrong with it, for failure messages and RELIABILITY.md
 * @param key the message key, null for none
 * @param value the message value, never null
 */
record HostileInput(String name, byte[] key, byte[] value, DeadLetterReason reason) {

  @Override
  public String toString() {
    return name + " -> " + reason;
  }
}
