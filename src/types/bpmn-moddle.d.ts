// bpmn-moddle 9 ships no type declarations; the host uses only this much of it.
declare module 'bpmn-moddle' {
  interface ModdleWarning {
    message: string;
    element?: { id?: string; $type?: string };
    property?: string;
    value?: unknown;
    error?: Error;
  }
  interface FromXmlResult {
    rootElement: any;
    references: unknown[];
    warnings: ModdleWarning[];
    elementsById: Record<string, any>;
  }
  class BpmnModdle {
    constructor(packages?: Record<string, unknown>, options?: Record<string, unknown>);
    fromXML(xml: string, typeName?: string): Promise<FromXmlResult>;
    toXML(element: unknown, options?: Record<string, unknown>): Promise<{ xml: string }>;
    create(type: string, attrs?: Record<string, unknown>): any;
  }
  export = BpmnModdle;
}
