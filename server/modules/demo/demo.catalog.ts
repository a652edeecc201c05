// Vocabulary of the demo portfolio: what a prefecture-level city's key-project list (重点项目名单) really holds.
// Industry codes are GB/T 4754-2017 classes; categories and campaign groups are the labels a city office uses.

export type Category = '产业' | '基础设施' | '社会民生' | '生态环保';

/** A kind of project: its name stem, GB/T 4754 class, category, who pays, and its typical size in yuan. */
export interface Subject {
  stem: string;
  industry: string;
  category: Category;
  investmentType: 'government' | 'social';
  /** Median total investment in yuan; totals are log-normal around it. */
  median: number;
  /** Whether the project ends in production (投产) rather than just completion. */
  produces: boolean;
}

const s = (stem: string, industry: string, category: Category, investmentType: Subject['investmentType'], medianYi: number, produces = false): Subject =>
  ({ stem, industry, category, investmentType, median: Math.round(medianYi * 1e8), produces });

export const SUBJECTS: readonly Subject[] = [
  s('新能源汽车零部件', '3670', '产业', 'social', 8, true),
  s('动力电池', '3841', '产业', 'social', 20, true),
  s('高端装备制造', '3499', '产业', 'social', 6, true),
  s('工业机器人', '3491', '产业', 'social', 5, true),
  s('集成电路封装测试', '3973', '产业', 'social', 25, true),
  s('半导体材料', '3985', '产业', 'social', 12, true),
  s('生物医药产业园', '2720', '产业', 'social', 10, true),
  s('医疗器械', '3581', '产业', 'social', 4, true),
  s('光伏组件', '3825', '产业', 'social', 15, true),
  s('新型显示面板', '3974', '产业', 'social', 30, true),
  s('精密模具', '3525', '产业', 'social', 2, true),
  s('纺织新材料', '2822', '产业', 'social', 3, true),
  s('智能家电', '3851', '产业', 'social', 5, true),
  s('食品精深加工', '1469', '产业', 'social', 2, true),
  s('数字经济产业园', '6513', '产业', 'social', 6),
  s('数据中心', '6450', '产业', 'social', 15),
  s('冷链物流中心', '5930', '产业', 'social', 4),
  s('智慧物流园', '5920', '产业', 'social', 5),
  s('商业综合体', '7010', '产业', 'social', 12),
  s('文旅综合体', '9030', '产业', 'social', 8),
  s('总部经济大楼', '7010', '产业', 'social', 10),
  s('分布式光伏发电', '4416', '产业', 'social', 1.5),
  s('储能电站', '4420', '基础设施', 'social', 3),
  s('220千伏输变电工程', '4420', '基础设施', 'government', 2.5),
  s('快速路改造工程', '4813', '基础设施', 'government', 20),
  s('城市主干道新建工程', '4813', '基础设施', 'government', 6),
  s('跨河大桥', '4813', '基础设施', 'government', 9),
  s('综合管廊', '4852', '基础设施', 'government', 7),
  s('轨道交通站点综合开发', '4811', '基础设施', 'government', 40),
  s('港区码头', '4822', '基础设施', 'government', 12),
  s('供水管网改造', '4610', '基础设施', 'government', 1.2),
  s('燃气管网更新改造', '4500', '基础设施', 'government', 1),
  s('老旧小区改造', '4790', '社会民生', 'government', 0.8),
  s('保障性租赁住房', '7010', '社会民生', 'government', 5),
  s('人民医院新院区', '8411', '社会民生', 'government', 15),
  s('中医医院迁建', '8412', '社会民生', 'government', 6),
  s('实验学校', '8331', '社会民生', 'government', 3),
  s('中心小学扩建', '8321', '社会民生', 'government', 1.5),
  s('职业教育实训基地', '8336', '社会民生', 'government', 2),
  s('养老服务中心', '8514', '社会民生', 'government', 1),
  s('全民健身中心', '8930', '社会民生', 'government', 2),
  s('污水处理厂提标改造', '4620', '生态环保', 'government', 2),
  s('河道综合整治', '7721', '生态环保', 'government', 1.5),
  s('湿地公园', '7850', '生态环保', 'government', 2),
  s('生活垃圾焚烧发电', '7820', '生态环保', 'social', 8),
  s('高标准农田建设', '0511', '生态环保', 'government', 0.6),
];

export const NAME_SUFFIXES = ['项目', '项目', '项目', '一期项目', '二期项目', '建设项目', '扩建项目', '工程'] as const;
export const BRANDS = ['恒瑞', '博世', '汇川', '信达', '宏远', '科沃', '华星', '中鼎', '东方', '金螳螂', '长城', '天合', '协鑫', '亨通', '盛虹', '沙钢', '恒力', '明阳', '瑞声', '晶方', '国泰', '永鼎', '新美', '海澜', '通鼎', '创元', '华兴', '苏高新', '润达', '德胜'];
export const COMPANY_WORDS = ['科技', '新材料', '智能装备', '电子', '精密制造', '生物科技', '新能源', '实业', '发展', '置业'];

export const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '黄', '赵', '吴', '周', '徐', '孙', '马', '朱', '胡', '郭', '何', '高', '林', '沈', '顾', '陆', '钱', '蒋'];
export const GIVEN = ['伟', '芳', '娜', '敏', '静', '强', '磊', '军', '洋', '勇', '艳', '杰', '涛', '明', '超', '秀英', '建华', '志强', '海燕', '晓东', '文斌', '国平', '丽华', '振宇'];
export const ROADS = ['人民路', '长江路', '太湖大道', '金鸡湖大道', '东环路', '中山路', '友谊路', '吴中大道', '城南路', '临湖路', '创业路', '科技大道'];

export const NATURES = ['new', 'continued', 'expansion', 'reconstruction', 'tech_upgrade'] as const;

/** 四个一批: the campaign groups a city sorts its list into. */
export const CAMPAIGN = { production: '投产达产', construction: '加快建设', start: '促进开工', reserve: '前期储备' } as const;

/** Monthly weights of construction investment: slow in the Spring Festival months, strong before year end. */
export const SEASON = [0.55, 0.5, 0.95, 1, 1.05, 1.05, 0.95, 0.95, 1.05, 1.1, 1.15, 1.25] as const;

export const PROGRESS_TEXTS = {
  preliminary: ['正在办理前期手续', '可研报告编制中', '用地报批中', '施工图设计审查中', '招标准备中'],
  signed: ['已签订投资协议，正在办理前期手续'],
  started: ['桩基施工', '基础工程施工', '主体结构施工', '主体结构封顶', '钢结构吊装', '设备安装调试', '室外配套施工', '装饰装修'],
  completed: ['已竣工验收', '竣工验收备案完成'],
  producing: ['已投产', '设备试生产，逐步达产'],
  paused: ['暂停施工，等待资金到位'],
} as const;

export const PROBLEMS = ['用地指标不足，需协调土地指标', '电力增容审批进度较慢', '拆迁安置尚未完成', '资金到位不及时', '环评批复待取得', '施工许可待办理'];

/** City departments (市级部门) and state companies (国有企业) that own projects, with the categories they run. */
export const CITY_DEPARTMENTS: readonly { name: string; short: string; categories: readonly Category[] }[] = [
  { name: '苏州市交通运输局', short: '市交通局', categories: ['基础设施'] },
  { name: '苏州市住房和城乡建设局', short: '市住建局', categories: ['基础设施', '社会民生'] },
  { name: '苏州市水务局', short: '市水务局', categories: ['生态环保', '基础设施'] },
  { name: '苏州市教育局', short: '市教育局', categories: ['社会民生'] },
  { name: '苏州市卫生健康委员会', short: '市卫健委', categories: ['社会民生'] },
  { name: '苏州市工业和信息化局', short: '市工信局', categories: ['产业'] },
  { name: '苏州市生态环境局', short: '市生态环境局', categories: ['生态环保'] },
  { name: '苏州市农业农村局', short: '市农业农村局', categories: ['生态环保'] },
];

export const STATE_COMPANIES: readonly { name: string; short: string; categories: readonly Category[] }[] = [
  { name: '苏州城市建设投资发展（集团）有限公司', short: '苏州城投', categories: ['基础设施', '社会民生'] },
  { name: '苏州交通投资集团有限责任公司', short: '苏州交投', categories: ['基础设施'] },
  { name: '苏州轨道交通集团有限公司', short: '苏州轨交', categories: ['基础设施'] },
  { name: '苏州文化旅游发展集团有限公司', short: '苏州文旅', categories: ['产业'] },
  { name: '苏州国有资本投资有限公司', short: '苏州国发', categories: ['产业'] },
];

/** Development zones run as their own units (园区), inside the county that hosts them. */
export const PARKS: readonly { name: string; short: string; county: string }[] = [
  { name: '吴中经济技术开发区管理委员会', short: '吴中经开区', county: '320506' },
  { name: '相城经济技术开发区管理委员会', short: '相城经开区', county: '320507' },
  { name: '吴江经济技术开发区管理委员会', short: '吴江经开区', county: '320509' },
  { name: '常熟经济技术开发区管理委员会', short: '常熟经开区', county: '320581' },
  { name: '昆山经济技术开发区管理委员会', short: '昆山经开区', county: '320583' },
];
