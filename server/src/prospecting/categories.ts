import type { CategorySuggestion } from '@optarget/shared';

/**
 * Common business categories: what people type (English and Arabic, singular and plural), the
 * OpenStreetMap tags that mark such a business, and Google's place type for nearby searches.
 */
export type Category = {
  key: string;
  en: string;
  ar: string;
  /** Further English and Arabic words for the same category; English plurals are derived. */
  terms: string[];
  osm: [key: string, value: string][];
  googleType?: string;
};

const c = (key: string, en: string, ar: string, terms: string[], osm: string[], googleType?: string): Category => ({
  key,
  en,
  ar,
  terms,
  osm: osm.map((t) => t.split('=') as [string, string]),
  googleType,
});

export const categories: Category[] = [
  c(
    'dentist',
    'Dentist',
    'طبيب أسنان',
    ['dental clinic', 'dental', 'أطباء أسنان', 'طب أسنان', 'عيادة أسنان', 'عيادات أسنان', 'أسنان'],
    ['amenity=dentist', 'healthcare=dentist'],
    'dentist',
  ),
  c('restaurant', 'Restaurant', 'مطعم', ['مطاعم'], ['amenity=restaurant'], 'restaurant'),
  c('cafe', 'Cafe', 'مقهى', ['café', 'coffee shop', 'coffee', 'مقاهي', 'كافيه', 'كوفي'], ['amenity=cafe'], 'cafe'),
  c('fast_food', 'Fast food', 'وجبات سريعة', ['burger', 'مطاعم وجبات سريعة'], ['amenity=fast_food'], 'fast_food_restaurant'),
  c('pharmacy', 'Pharmacy', 'صيدلية', ['chemist', 'drugstore', 'صيدليات'], ['amenity=pharmacy', 'healthcare=pharmacy'], 'pharmacy'),
  c(
    'clinic',
    'Clinic',
    'عيادة',
    ['medical center', 'medical centre', 'عيادات', 'مستوصف', 'مجمع طبي'],
    ['amenity=clinic', 'healthcare=clinic'],
    'medical_clinic',
  ),
  c('doctor', 'Doctor', 'طبيب', ['physician', 'أطباء', 'دكتور'], ['amenity=doctors', 'healthcare=doctor'], 'doctor'),
  c('hospital', 'Hospital', 'مستشفى', ['مستشفيات'], ['amenity=hospital', 'healthcare=hospital'], 'hospital'),
  c(
    'physiotherapist',
    'Physiotherapist',
    'علاج طبيعي',
    ['physiotherapy', 'physical therapy', 'مركز علاج طبيعي'],
    ['healthcare=physiotherapist'],
    'physiotherapist',
  ),
  c(
    'veterinary',
    'Veterinary clinic',
    'عيادة بيطرية',
    ['vet', 'veterinarian', 'animal clinic', 'طبيب بيطري', 'بيطري'],
    ['amenity=veterinary'],
    'veterinary_care',
  ),
  c('optician', 'Optician', 'محل نظارات', ['optical shop', 'optics', 'نظارات', 'بصريات'], ['shop=optician']),
  c(
    'lawyer',
    'Lawyer',
    'محامي',
    ['law firm', 'attorney', 'legal', 'محامون', 'محامين', 'مكتب محاماة', 'محاماة'],
    ['office=lawyer'],
    'lawyer',
  ),
  c(
    'accountant',
    'Accountant',
    'محاسب',
    ['accounting', 'accounting firm', 'محاسبون', 'مكتب محاسبة', 'محاسبة'],
    ['office=accountant'],
    'accounting',
  ),
  c(
    'real_estate',
    'Real estate agent',
    'مكتب عقاري',
    ['real estate', 'estate agent', 'realtor', 'real estate agency', 'عقار', 'عقارات', 'وسيط عقاري', 'مكاتب عقارية'],
    ['office=estate_agent'],
    'real_estate_agency',
  ),
  c('insurance', 'Insurance agent', 'شركة تأمين', ['insurance', 'تأمين'], ['office=insurance'], 'insurance_agency'),
  c('architect', 'Architect', 'مكتب هندسي', ['architecture firm', 'مهندس معماري', 'مكاتب هندسية'], ['office=architect']),
  c('it_company', 'IT company', 'شركة برمجيات', ['software company', 'it services', 'تقنية معلومات', 'شركات برمجيات'], ['office=it']),
  c(
    'travel_agency',
    'Travel agency',
    'وكالة سفر',
    ['travel agent', 'مكتب سياحة', 'سفريات', 'وكالات سفر'],
    ['shop=travel_agency'],
    'travel_agency',
  ),
  c(
    'car_repair',
    'Car repair',
    'ورشة سيارات',
    ['auto repair', 'garage', 'mechanic', 'ورش سيارات', 'تصليح سيارات', 'ميكانيكي'],
    ['shop=car_repair'],
    'car_repair',
  ),
  c(
    'car_dealer',
    'Car dealer',
    'معرض سيارات',
    ['car dealership', 'car showroom', 'معارض سيارات', 'وكالة سيارات'],
    ['shop=car'],
    'car_dealer',
  ),
  c('car_wash', 'Car wash', 'مغسلة سيارات', ['غسيل سيارات', 'مغاسل سيارات'], ['amenity=car_wash'], 'car_wash'),
  c('fuel', 'Fuel station', 'محطة وقود', ['gas station', 'petrol station', 'محطة بنزين', 'محطات وقود'], ['amenity=fuel'], 'gas_station'),
  c('hotel', 'Hotel', 'فندق', ['فنادق'], ['tourism=hotel'], 'hotel'),
  c(
    'gym',
    'Gym',
    'نادي رياضي',
    ['fitness centre', 'fitness center', 'fitness', 'نوادي رياضية', 'صالة رياضية', 'جيم'],
    ['leisure=fitness_centre'],
    'gym',
  ),
  c(
    'beauty_salon',
    'Beauty salon',
    'صالون تجميل',
    ['beauty', 'beauty center', 'beauty centre', 'مشغل نسائي', 'مشاغل نسائية', 'مركز تجميل'],
    ['shop=beauty'],
    'beauty_salon',
  ),
  c(
    'hairdresser',
    'Hairdresser',
    'حلاق',
    ['barber', 'barbershop', 'hair salon', 'حلاقين', 'صالون حلاقة'],
    ['shop=hairdresser'],
    'hair_salon',
  ),
  c('school', 'School', 'مدرسة', ['مدارس'], ['amenity=school'], 'school'),
  c('kindergarten', 'Kindergarten', 'روضة أطفال', ['nursery', 'preschool', 'روضة', 'حضانة'], ['amenity=kindergarten'], 'preschool'),
  c('driving_school', 'Driving school', 'مدرسة تعليم قيادة', ['مدرسة قيادة'], ['amenity=driving_school']),
  c(
    'supermarket',
    'Supermarket',
    'سوبرماركت',
    ['grocery', 'grocery store', 'بقالة', 'تموينات', 'هايبر ماركت'],
    ['shop=supermarket'],
    'supermarket',
  ),
  c('bakery', 'Bakery', 'مخبز', ['مخابز', 'فرن'], ['shop=bakery'], 'bakery'),
  c('florist', 'Florist', 'محل ورد', ['flower shop', 'محلات ورد', 'زهور', 'ورود'], ['shop=florist'], 'florist'),
  c(
    'clothes',
    'Clothing store',
    'محل ملابس',
    ['clothes shop', 'fashion', 'boutique', 'ملابس', 'بوتيك'],
    ['shop=clothes'],
    'clothing_store',
  ),
  c('electronics', 'Electronics store', 'محل إلكترونيات', ['electronics', 'إلكترونيات'], ['shop=electronics'], 'electronics_store'),
  c('furniture', 'Furniture store', 'معرض أثاث', ['furniture', 'أثاث'], ['shop=furniture'], 'furniture_store'),
  c(
    'jewelry',
    'Jeweller',
    'محل مجوهرات',
    ['jeweler', 'jewelry store', 'jewellery', 'مجوهرات', 'ذهب', 'محل ذهب'],
    ['shop=jewelry'],
    'jewelry_store',
  ),
  c('laundry', 'Laundry', 'مغسلة ملابس', ['dry cleaner', 'مغسلة', 'مغاسل', 'غسيل ملابس'], ['shop=laundry', 'shop=dry_cleaning'], 'laundry'),
  c('bank', 'Bank', 'بنك', ['بنوك', 'مصرف'], ['amenity=bank'], 'bank'),
];

/**
 * One spelling for comparison: lower case, Arabic letter variants folded (أ إ آ → ا, ة → ه, ى → ي),
 * diacritics and tatweel removed, the article ال dropped from longer words, punctuation to spaces.
 */
export function normaliseTerm(text: string): string {
  return text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f\u064b-\u065f\u0670\u0640]/g, '')
    .replace(/[أإآ]/g, 'ا')
    .replace(/ة/g, 'ه')
    .replace(/ى/g, 'ي')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim()
    .split(' ')
    .map((w) => (w.startsWith('ال') && w.length > 4 ? w.slice(2) : w))
    .join(' ');
}

/** "dentist" → dentist, dentists; "pharmacy" → pharmacies; "coach" → coaches. Only the last word varies. */
function englishForms(term: string): string[] {
  if (!/^[a-z0-9 ]+$/.test(term)) return [term];
  const forms = [term, `${term}s`];
  if (/(s|x|ch|sh)$/.test(term)) forms.push(`${term}es`);
  if (/[^aeiou]y$/.test(term)) forms.push(`${term.slice(0, -1)}ies`);
  return forms;
}

const termIndex: { term: string; category: Category }[] = categories
  .flatMap((category) =>
    [category.key.replace(/_/g, ' '), category.en, category.ar, ...category.terms]
      .map(normaliseTerm)
      .flatMap(englishForms)
      .map((term) => ({ term, category })),
  )
  // Longest first, so "car wash" wins over "wash" and "driving school" over "school".
  .sort((a, b) => b.term.length - a.term.length);

/** The category a search query names ("dentists", "أطباء أسنان", "car repair shops"), or null. */
export function matchCategory(query: string): Category | null {
  const padded = ` ${normaliseTerm(query)} `;
  return termIndex.find(({ term }) => padded.includes(` ${term} `))?.category ?? null;
}

export const toSuggestion = (category: Category): CategorySuggestion => ({
  key: category.key,
  en: category.en,
  ar: category.ar,
  osmTags: category.osm.map(([k, v]) => `${k}=${v}`),
});

/** Categories whose English or Arabic names start with (or contain) what the user typed so far; all of them for an empty query. */
export function suggestCategories(typed: string, max = 12): CategorySuggestion[] {
  const q = normaliseTerm(typed);
  if (!q) return categories.map(toSuggestion);
  const exact = matchCategory(typed);
  const rank = (category: Category) => {
    if (category === exact) return 0;
    const terms = [category.en, category.ar, ...category.terms].map(normaliseTerm);
    if (terms.some((t) => t.startsWith(q) || t.split(' ').some((w) => w.startsWith(q)))) return 1;
    if (terms.some((t) => t.includes(q))) return 2;
    return null;
  };
  return categories
    .map((category) => ({ category, rank: rank(category) }))
    .filter((r): r is { category: Category; rank: number } => r.rank !== null)
    .sort((a, b) => a.rank - b.rank)
    .slice(0, max)
    .map((r) => toSuggestion(r.category));
}
