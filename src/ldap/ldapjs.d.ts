// Types for the parts of the @ldapjs protocol packages this door and its tests use (they ship JavaScript
// only). The tests encode requests and decode responses with them: an implementation independent of ours.

declare module '@ldapjs/protocol' {
  const protocol: {
    readonly operations: Readonly<Record<string, number>> & {
      readonly LDAP_REQ_BIND: number;
      readonly LDAP_REQ_UNBIND: number;
      readonly LDAP_REQ_SEARCH: number;
      readonly LDAP_REQ_MODIFY: number;
      readonly LDAP_REQ_ADD: number;
      readonly LDAP_REQ_DELETE: number;
      readonly LDAP_REQ_MODRDN: number;
      readonly LDAP_REQ_COMPARE: number;
      readonly LDAP_REQ_ABANDON: number;
      readonly LDAP_REQ_EXTENSION: number;
      readonly LDAP_RES_BIND: number;
      readonly LDAP_RES_SEARCH_ENTRY: number;
      readonly LDAP_RES_SEARCH_DONE: number;
      readonly LDAP_RES_MODIFY: number;
      readonly LDAP_RES_ADD: number;
      readonly LDAP_RES_DELETE: number;
      readonly LDAP_RES_MODRDN: number;
      readonly LDAP_RES_COMPARE: number;
      readonly LDAP_RES_EXTENSION: number;
    };
    readonly resultCodes: {
      readonly SUCCESS: number;
      readonly OPERATIONS_ERROR: number;
      readonly PROTOCOL_ERROR: number;
      readonly TIME_LIMIT_EXCEEDED: number;
      readonly SIZE_LIMIT_EXCEEDED: number;
      readonly COMPARE_FALSE: number;
      readonly COMPARE_TRUE: number;
      readonly AUTH_METHOD_NOT_SUPPORTED: number;
      readonly ADMIN_LIMIT_EXCEEDED: number;
      readonly UNAVAILABLE_CRITICAL_EXTENSION: number;
      readonly UNDEFINED_ATTRIBUTE_TYPE: number;
      readonly INAPPROPRIATE_MATCHING: number;
      readonly NO_SUCH_OBJECT: number;
      readonly INVALID_DN_SYNTAX: number;
      readonly INVALID_CREDENTIALS: number;
      readonly INSUFFICIENT_ACCESS_RIGHTS: number;
      readonly UNAVAILABLE: number;
      readonly UNWILLING_TO_PERFORM: number;
      readonly OTHER: number;
    };
    readonly search: {
      readonly FILTER_AND: number;
      readonly FILTER_OR: number;
      readonly FILTER_NOT: number;
      readonly FILTER_EQUALITY: number;
      readonly FILTER_SUBSTRINGS: number;
      readonly FILTER_GE: number;
      readonly FILTER_LE: number;
      readonly FILTER_PRESENT: number;
      readonly FILTER_APPROX: number;
      readonly FILTER_EXT: number;
    };
  };
  export default protocol;
}

declare module '@ldapjs/asn1' {
  export class BerWriter {
    constructor(options?: { size?: number; growthFactor?: number });
    readonly buffer: Buffer;
    startSequence(tag?: number): void;
    endSequence(): void;
    writeInt(value: number, tag?: number): void;
    writeString(value: string, tag?: number): void;
    writeBoolean(value: boolean, tag?: number): void;
    writeEnumeration(value: number, tag?: number): void;
    writeBuffer(value: Buffer, tag: number): void;
  }
  export class BerReader {
    constructor(buffer: Buffer);
  }
  const asn1: { BerWriter: typeof BerWriter; BerReader: typeof BerReader };
  export default asn1;
}

declare module '@ldapjs/messages' {
  interface ResultOptions {
    messageId: number;
    status?: number;
    matchedDN?: string;
    diagnosticMessage?: string;
  }
  interface Encodable {
    toBer(): { buffer: Buffer };
  }
  type ResultClass = new (options: ResultOptions) => Encodable;
  /** A decoded message; which fields are set depends on its type. */
  interface ParsedMessage {
    type: string;
    messageId: number;
    protocolOp: number;
    status?: number;
    diagnosticMessage?: string;
    matchedDN?: string;
    responseName?: string;
    objectName?: { toString(): string };
    attributes?: Array<{ type: string; values: string[] }>;
  }
  const messages: {
    LdapMessage: { parse(reader: import('@ldapjs/asn1').BerReader): ParsedMessage };
    BindResponse: ResultClass;
    SearchResultDone: ResultClass;
    AddResponse: ResultClass;
    DeleteResponse: ResultClass;
    ModifyResponse: ResultClass;
    ModifyDnResponse: ResultClass;
    CompareResponse: ResultClass;
    ExtensionResponse: new (
      options: ResultOptions & { responseName?: string; responseValue?: string },
    ) => Encodable;
  };
  export default messages;
}
