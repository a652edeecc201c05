import { useEffect, useRef, useState } from 'react';
import { Spin } from 'antd';
import type { EChartsCoreOption } from 'echarts/core';
import type * as EChartsSetup from './echarts-setup.ts';

type EChartsModule = typeof EChartsSetup;
let loading: Promise<EChartsModule> | null = null;

/** Loads ECharts on first use (it is not part of the initial bundle). */
function loadECharts(): Promise<EChartsModule> {
  loading ??= import('./echarts-setup.ts');
  return loading;
}

/** One ECharts chart; clicking a data point calls onClick with its name and data index. */
export function Chart({ option, height = 300, onClick, testId, label }: {
  option: EChartsCoreOption;
  height?: number;
  onClick?: (p: { name: string; dataIndex: number; seriesIndex: number }) => void;
  testId?: string;
  label: string;
}) {
  const el = useRef<HTMLDivElement>(null);
  const [ready, setReady] = useState(false);
  const chart = useRef<ReturnType<EChartsModule['echarts']['init']> | null>(null);
  const click = useRef(onClick);
  useEffect(() => {
    click.current = onClick;
  }, [onClick]);

  useEffect(() => {
    let disposed = false;
    let observer: ResizeObserver | undefined;
    void loadECharts().then(({ echarts }) => {
      if (disposed || !el.current) return;
      const c = echarts.init(el.current);
      chart.current = c;
      c.on('click', (p) => click.current?.({ name: String(p.name), dataIndex: p.dataIndex, seriesIndex: p.seriesIndex ?? 0 }));
      observer = new ResizeObserver(() => c.resize());
      observer.observe(el.current);
      setReady(true);
    });
    return () => {
      disposed = true;
      observer?.disconnect();
      chart.current?.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    if (ready) chart.current?.setOption(option, true);
  }, [option, ready]);

  return (
    <div style={{ position: 'relative', height }} data-testid={testId} role="img" aria-label={label}>
      <div ref={el} style={{ width: '100%', height }} />
      {!ready && <Spin style={{ position: 'absolute', top: '45%', left: '48%' }} />}
    </div>
  );
}
