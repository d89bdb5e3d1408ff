// Types for the widget modules (type-only: nothing here exists at run time).

export interface WidgetManager {
  get_model(id: string): Promise<unknown>;
  create_view(model: unknown, options?: object): Promise<ChildView>;
}

export interface ChildView {
  el: HTMLElement;
  remove(): void;
  trigger?(name: string): void;
}

export interface Model {
  get(name: string): any;
  set(name: string, value: unknown): void;
  save_changes(): void;
  on(event: string, callback: (...args: any[]) => void): void;
  off(event?: string | null, callback?: ((...args: any[]) => void) | null): void;
  send(content: object, callbacks?: object, buffers?: ArrayBuffer[]): void;
  widget_manager: WidgetManager;
}

export interface Host {
  getWidget?(ref: string): Promise<{
    render(options: { el: HTMLElement; signal?: AbortSignal }): Promise<void>;
  }>;
}

export interface RenderContext {
  model: Model;
  el: HTMLElement;
  host?: Host;
}

export interface Row {
  id: string;
  namespace: string;
  name: string;
  status: string;
  message: string | null;
  repository: string | null;
  task: string | null;
  vendor: string | null;
  region: string | null;
  accelerator: string | null;
  instance_type: string | null;
  instance_size: string | null;
  min_replica: number | null;
  max_replica: number | null;
  scale_to_zero_timeout: number | null;
  revision: string | null;
  ready_replica: number | null;
  target_replica: number | null;
  price_per_hour: number | null;
  url: string | null;
  created_at: string | null;
  updated_at: string | null;
  [key: string]: unknown;
}

export interface HardwareRow {
  id: string;
  vendor: string;
  region: string;
  accelerator: string;
  instance_type: string;
  instance_size: string;
  architecture: string | null;
  num_accelerators: number | null;
  memory_gb: number | null;
  gpu_memory_gb: number | null;
  price_per_hour: number | null;
  status: string | null;
}
