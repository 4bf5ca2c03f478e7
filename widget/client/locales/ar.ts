import type { ClientStrings } from '../strings.ts';

// Arabic, right to left. Requests are impersonal ("يُرجى ...") so they do not address a man or a woman.
const ar: ClientStrings = {
  title: 'كيف كانت جلسة اليوم؟',
  shown: 'انتهت الجلسة. فُتحت بطاقة تقييم قصيرة.',
  intro: 'يُرجى تقييم كل بند من 0 إلى 10: بلمس الخط أو بالسحب على امتداده.',
  introKeys: 'يُرجى تقييم كل بند من 0 إلى 10: بالنقر على الخط أو السحب، أو بمفاتيح الأسهم (مع Shift للأعشار) أو بكتابة رقم.',
  privacy: 'لا يرى الإجابات إلا المعالج، ويستخدمها لتكييف طريقة العمل معًا. أما تقارير الخدمة فلا تعرض إلا أرقامًا جماعية مجهولة الهوية، ولا تعرض إجاباتك أبدًا.',
  notSet: 'بلا تقييم',
  missing: 'يُرجى تقييم: ',
  submit: 'إرسال التقييم',
  skip: 'تخطي التقييم',
  loading: 'جارٍ التحميل…',
  thanks: 'شكرًا على ملاحظاتك.',
  thanksDeclined: 'شكرًا. لن يُشارَك أي تقييم لهذه الجلسة.',
  sending: 'جارٍ الإرسال…',
  queued: 'حُفظ على هذا الجهاز، وسيُرسَل عند الاتصال بالإنترنت.',
  delivered: 'أُرسل إلى المعالج.',
  stored: 'حُفظ. سيظهر عند فتح ملخص الجلسة.',
  failed: 'عذرًا، تعذّر الحفظ.',
  skipped: 'حُفظ اختيارك.',
  undo: 'التقييم رغم ذلك',
  valueOf: '{v} من {max}',
  ends: '{min}: {low}. {max}: {high}.',
};
export default ar;
