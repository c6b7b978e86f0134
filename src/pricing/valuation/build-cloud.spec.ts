import {
  buildCloudTables,
  ec2Instances,
  formatTable,
  gpuInstancesFromCsv,
  parseCsv,
} from './build-cloud';
import { parseCloudPriceTable } from './cloud';

const header =
  'date,collected_at,source,provider,segment,pricing,gpu_model,sku,region,geo,gpu_count,usd_per_hour,usd_per_gpu_hour,sample_size';
const csv = [
  header,
  '2026-09-29,x,azure,Microsoft Azure,hyperscaler,on_demand,A100-80GB-PCIe,NC24,westus,NA,1,4.775,4.775,1',
  '2026-09-29,x,azure,Microsoft Azure,hyperscaler,on_demand,A100-80GB-PCIe,NC24,eastus,NA,1,3.673,3.673,1',
  '2026-09-29,x,azure,Microsoft Azure,hyperscaler,on_demand,A100-80GB-PCIe,NC24,canadacentral,NA,1,3.1,3.1,1',
  '2026-09-29,x,azure,Microsoft Azure,hyperscaler,spot,A100-80GB-PCIe,NC24,eastus,NA,1,1.2,1.2,1',
  '2026-09-29,x,azure,Microsoft Azure,hyperscaler,on_demand,A100-80GB-PCIe,NC24,westeurope,EU,1,3.5,3.5,1',
  '2026-09-29,x,lambda,Lambda,neocloud,on_demand,A100-40GB,gpu_1x_a100_sxm_40gb,global,Global,1,1.99,1.99,1',
  '2026-09-29,x,vast,Vast.ai,marketplace,on_demand,RTX 4090 24GB,median-offer,global,Global,1,0.4,0.4,12',
].join('\n');

describe('parseCsv', () => {
  it('handles quotes, doubled quotes and CRLF', () => {
    expect(parseCsv('a,b\r\n"x, y","say ""hi"""\r\n')).toEqual([{ a: 'x, y', b: 'say "hi"' }]);
    expect(parseCsv('')).toEqual([]);
  });
});

describe('gpuInstancesFromCsv', () => {
  it('keeps on-demand US/global rows, cheapest region per instance type', () => {
    const { instances, observedAt, report } = gpuInstancesFromCsv(csv, 0);
    expect(observedAt).toBe('2026-09-29');
    expect(report.skipped).toEqual({ 'pricing spot': 1, 'outside US/global region policy': 2 });
    const nc24 = instances.find((i) => i.sku === 'NC24');
    expect(nc24).toMatchObject({
      region: 'eastus',
      usdPerHour: 3.673,
      gpuModel: 'A100',
      gpuMemoryGb: 80,
      gpuFormFactor: 'pcie',
    });
    // form factor read from the sku when the label merges variants
    expect(instances.find((i) => i.provider === 'Lambda')).toMatchObject({
      gpuModel: 'A100',
      gpuMemoryGb: 40,
      gpuFormFactor: 'sxm',
    });
    // unknown labels fall back to the generic parser
    expect(instances.find((i) => i.provider === 'Vast.ai')).toMatchObject({
      gpuModel: 'RTX 4090 24GB',
      gpuMemoryGb: 24,
      note: 'median of 12 marketplace offers',
    });
  });
});

describe('ec2Instances', () => {
  const ec2 = [
    {
      instance_type: 'm4.large',
      vCPU: 2,
      memory: 8,
      GPU: 0,
      FPGA: 0,
      generation: 'current',
      pricing: {
        'us-east-1': { linux: { ondemand: '0.1' } },
        'us-west-1': { linux: { ondemand: '0.117' } },
        'eu-west-1': { linux: { ondemand: '0.05' } },
      },
    },
    {
      instance_type: 'm1.small',
      vCPU: 1,
      memory: 1.7,
      GPU: 0,
      generation: 'previous',
      pricing: {},
    },
    {
      instance_type: 't2.micro',
      vCPU: 1,
      memory: 1,
      GPU: 0,
      generation: 'current',
      pricing: { 'us-east-1': { linux: { ondemand: '0.0116' } } },
    },
    {
      instance_type: 'p3.2xlarge',
      vCPU: 8,
      memory: 61,
      GPU: 1,
      generation: 'current',
      pricing: { 'us-west-2': { linux: { ondemand: '3.06' } } },
    },
    {
      instance_type: 'p2.xlarge',
      vCPU: 4,
      memory: 61,
      GPU: 1,
      generation: 'current',
      pricing: { 'us-east-1': { linux: { ondemand: '0.9' } } },
    },
    'garbage',
  ];
  it('filters and prices per the region policy', () => {
    const r = ec2Instances(ec2, 1, '2017-11-01', 'month');
    expect(r.cpu).toEqual([
      expect.objectContaining({
        sku: 'm4.large',
        region: 'us-east-1',
        usdPerHour: 0.1,
        observedAtPrecision: 'month',
      }),
    ]);
    expect(r.gpu).toEqual([
      expect.objectContaining({
        sku: 'p3.2xlarge',
        gpuModel: 'V100',
        gpuMemoryGb: 16,
        gpuCount: 1,
      }),
    ]);
    expect(r.report.skipped).toMatchObject({
      'previous generation': 1,
      burstable: 1,
      'GPU type without whole-card mapping': 1,
    });
    expect(ec2Instances({ not: 'a list' }, 1, '2017-11-01', 'month').cpu).toEqual([]);
  });
});

describe('buildCloudTables + formatTable', () => {
  it('produces tables that round-trip through the schema', () => {
    const t = buildCloudTables({
      gpuCsv: { name: 'g.csv', text: csv },
      ec2Json: { name: 'e.json', json: [], observedAt: '2017-11-01', precision: 'month' },
    });
    const again = parseCloudPriceTable(JSON.parse(formatTable(t.gpu)));
    expect(again).toEqual(t.gpu);
    expect(t.gpu.sources[0]?.observedAt).toBe('2026-09-29');
  });
});
