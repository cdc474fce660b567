package account

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"

	"github.com/smartustaz/smartustaz/internal/apperr"
	"github.com/smartustaz/smartustaz/internal/db"
	"github.com/smartustaz/smartustaz/internal/i18n"
	"github.com/smartustaz/smartustaz/internal/vault"
)

// demoBatch is how many demo users one transaction writes: large enough
// that commits (an fsync each) are rare, small enough that a writer never
// holds SQLite's lock for long and an interrupted run keeps most of its work.
const demoBatch = 1000

// DemoUser is one synthetic teacher, as CreateDemoUsers stores them.
type DemoUser struct {
	Email   string
	Locale  string // "kk" or "ru", matching the language of the profile
	Profile Profile
}

// DemoEmail is the address of the n-th demo user (n from 1). The domain is
// the portal's own, so no mail to a demo user reaches a real person.
func DemoEmail(n int) string { return fmt.Sprintf("demo-%d@demo.smartustaz.kz", n) }

// DemoTeacher returns the n-th synthetic teacher. It depends only on n, so
// tests and load scripts know what demo user n looks like without reading
// the database.
func DemoTeacher(n int) DemoUser {
	r := rand.New(rand.NewPCG(uint64(n), 0x736d61727475737a)) // "smartusz"
	pick := func(list []string) string { return list[r.IntN(len(list))] }
	female := r.IntN(4) != 0 // about three teachers in four are women
	u := DemoUser{Email: DemoEmail(n)}
	if r.IntN(4) != 0 {
		// A Kazakh name: surname, given name, and the patronymic made of
		// the father's name with -ұлы (son of) or -қызы (daughter of).
		surname, given, suffix := pick(kzSurnames), pick(kzMale), "ұлы"
		if female {
			surname, given, suffix = surname+"а", pick(kzFemale), "қызы"
		}
		u.Profile.FullName = surname + " " + given + " " + pick(kzMale) + suffix
		u.Locale = string(i18n.KK)
		if r.IntN(7) == 0 {
			u.Locale = string(i18n.RU) // some Kazakh teachers use the site in Russian
		}
	} else {
		surname, given, father := pick(ruSurnames), pick(ruMale), ruPatronymics[r.IntN(len(ruPatronymics))]
		patronymic := father[0]
		if female {
			surname, given, patronymic = surname+"а", pick(ruFemale), father[1]
		}
		u.Profile.FullName = surname + " " + given + " " + patronymic
		u.Locale = string(i18n.RU)
	}
	school := 1 + r.IntN(180)
	if u.Locale == string(i18n.KK) {
		u.Profile.Organization = fmt.Sprintf(pick(kzSchools), school)
		u.Profile.Position = pick(kzPositions)
		u.Profile.Region = kzRegions[r.IntN(len(kzRegions))]
	} else {
		u.Profile.Organization = fmt.Sprintf(pick(ruSchools), school)
		u.Profile.Position = pick(ruPositions)
		u.Profile.Region = ruRegions[r.IntN(len(ruRegions))]
	}
	u.Profile.Phone = fmt.Sprintf("+7 (%s) %03d-%02d-%02d", pick(kzMobileCodes), r.IntN(1000), r.IntN(100), r.IntN(100))
	return u
}

// DemoOptions tune CreateDemoUsersWith.
type DemoOptions struct {
	// Password is the password of every demo user.
	Password string
	// Progress, when not nil, is called after each committed batch with
	// the number of users created so far.
	Progress func(done int)
	// OnCreate, when not nil, runs for each new user inside the batch's
	// transaction, like Register's onCreate (the consent package records
	// the acceptance of the documents there).
	OnCreate func(ctx context.Context, tx *db.Tx, u *User, key *vault.UserKey) error
}

// CreateDemoUsers adds n synthetic teachers (see CreateDemoUsersWith).
func (s *Service) CreateDemoUsers(ctx context.Context, n int, password string, progress func(done int)) (int, error) {
	return s.CreateDemoUsersWith(ctx, n, DemoOptions{Password: password, Progress: progress})
}

// CreateDemoUsersWith adds n synthetic teachers (DemoTeacher), each an
// active user with a verified address, their own data key and every
// personal field sealed exactly as Register seals it (clause 1.3), found
// by the same blind index. Numbering continues after the demo users
// already present, so running it twice gives 2n demo users. Users are
// written in transactions of demoBatch; it returns how many were created,
// also when it stops early on an error or a cancelled ctx.
func (s *Service) CreateDemoUsersWith(ctx context.Context, n int, o DemoOptions) (int, error) {
	if n <= 0 {
		return 0, nil
	}
	var errs apperr.Fields
	checkPassword(&errs, FieldPassword, o.Password, "")
	if err := errs.Err(); err != nil {
		return 0, err
	}
	first, err := s.nextDemoNumber(ctx)
	if err != nil {
		return 0, fmt.Errorf("account: demo users: %w", err)
	}
	// argon2id costs about 50 ms by design (clause 2.1): a million hashes
	// would take the better part of a day. Demo data only, so every demo
	// user gets the same hash of the same password; a real registration
	// always hashes with a fresh random salt.
	hash, err := s.pw.hash(ctx, o.Password)
	if err != nil {
		return 0, fmt.Errorf("account: demo users: %w", err)
	}
	done := 0
	for done < n {
		if err := ctx.Err(); err != nil {
			return done, fmt.Errorf("account: demo users: %w", err)
		}
		size := min(demoBatch, n-done)
		err := s.insertDemoBatch(ctx, first+done, size, hash, o.OnCreate)
		for retry := 0; retry < 3 && isIDCollision(err); retry++ {
			err = s.insertDemoBatch(ctx, first+done, size, hash, o.OnCreate)
		}
		if err != nil {
			return done, fmt.Errorf("account: demo users: %w", err)
		}
		done += size
		if o.Progress != nil {
			o.Progress(done)
		}
	}
	return done, nil
}

// isIDCollision reports a unique violation, which for demo users (whose
// addresses are free, see nextDemoNumber) means two rows drew the same
// db.NewID: its 22 random bits per millisecond collide roughly once per
// million ids made at bulk speed (tens per millisecond). The batch was rolled back
// and is written again with new ids. A genuinely taken address fails
// every retry and is reported.
func isIDCollision(err error) bool {
	return db.IsUniqueViolation(err) || apperr.CodeOf(err) == apperr.Conflict
}

// insertDemoBatch writes demo users first…first+size-1 in one transaction.
func (s *Service) insertDemoBatch(ctx context.Context, first, size int, hash string, onCreate func(context.Context, *db.Tx, *User, *vault.UserKey) error) error {
	return s.db.InTx(ctx, func(tx *db.Tx) error {
		verified := s.nowMS()
		for i := range size {
			t := DemoTeacher(first + i)
			p := t.Profile.clean()
			var errs apperr.Fields
			p.check(&errs)
			if err := errs.Err(); err != nil {
				return fmt.Errorf("generated profile %d is invalid: %w", first+i, err)
			}
			u, k, err := s.insertUser(ctx, tx, newUser{email: t.Email, profile: p, hash: hash,
				role: RoleUser, locale: t.Locale, verifiedAt: verified})
			if err != nil {
				return err
			}
			if onCreate != nil {
				if err := onCreate(ctx, tx, u, k); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

// DemoCount is how many demo users exist (the highest demo number in use).
func (s *Service) DemoCount(ctx context.Context) (int, error) {
	n, err := s.nextDemoNumber(ctx)
	if err != nil {
		return 0, fmt.Errorf("account: demo count: %w", err)
	}
	return n - 1, nil
}

// nextDemoNumber is one more than the highest demo number in use. Demo
// users are created in increasing numbers, so the numbers in use are
// 1…k: doubling then bisecting finds k in about 2·log2(k) blind-index
// lookups, without reading any personal field.
func (s *Service) nextDemoNumber(ctx context.Context) (int, error) {
	exists := func(n int) (bool, error) {
		_, err := s.idByEmail(ctx, s.db, DemoEmail(n))
		if errors.Is(err, db.ErrNotFound) {
			return false, nil
		}
		return err == nil, err
	}
	lo, hi := 0, 1 // demo lo exists (0 stands for "none"), demo hi is unknown
	for {
		ok, err := exists(hi)
		if err != nil {
			return 0, err
		}
		if !ok {
			break
		}
		lo, hi = hi, hi*2
	}
	for hi-lo > 1 {
		mid := lo + (hi-lo)/2
		ok, err := exists(mid)
		if err != nil {
			return 0, err
		}
		if ok {
			lo = mid
		} else {
			hi = mid
		}
	}
	return lo + 1, nil
}

// The lists below are what a teacher types into the profile form. Surnames
// are in the masculine form; the feminine one adds -а.
var (
	kzMale = []string{
		"Ерлан", "Нұрлан", "Асқар", "Бауыржан", "Дәурен", "Қайрат", "Ержан", "Айдос", "Әлібек", "Ғалымжан",
		"Жандос", "Мұхтар", "Серік", "Талғат", "Өмірзақ", "Ұлан", "Санжар", "Бекзат", "Дидар", "Ілияс",
		"Әділет", "Жасұлан", "Бақыт", "Сейіт", "Мұрат", "Қанат", "Ерболат", "Арман", "Нұржан", "Темірлан",
	}
	kzFemale = []string{
		"Айгүл", "Гүлнар", "Әсел", "Жанар", "Динара", "Ақбота", "Айгерім", "Мөлдір", "Гүлжан", "Сәуле",
		"Ләззат", "Назгүл", "Салтанат", "Ұлжан", "Балжан", "Аружан", "Әйгерім", "Перизат", "Қарлығаш", "Жұлдыз",
		"Меруерт", "Гүлмира", "Раушан", "Самал", "Анар", "Шынар", "Гүлнұр", "Күнсұлу", "Маржан", "Толқын",
	}
	kzSurnames = []string{
		"Мұратов", "Сейітов", "Нұрланов", "Қасымов", "Әбенов", "Жұмабаев", "Сәрсенбаев", "Омаров", "Төлеуов", "Ахметов",
		"Жақыпов", "Құрманғалиев", "Тұрсынов", "Оспанов", "Әлиев", "Байжанов", "Шәріпов", "Ысқақов", "Есімов", "Серікбаев",
		"Үсенов", "Дүйсенбаев", "Қалиев", "Ғабдуллин", "Нұрғалиев", "Мұқанов", "Әубәкіров", "Жұмағұлов", "Сұлтанбеков", "Бөкейханов",
	}
	ruMale     = []string{"Александр", "Сергей", "Дмитрий", "Андрей", "Алексей", "Николай", "Владимир", "Игорь", "Виктор", "Евгений"}
	ruFemale   = []string{"Елена", "Ольга", "Татьяна", "Наталья", "Ирина", "Светлана", "Марина", "Анна", "Людмила", "Галина"}
	ruSurnames = []string{
		"Иванов", "Петров", "Смирнов", "Кузнецов", "Попов", "Васильев", "Соколов", "Новиков", "Морозов", "Волков",
		"Лебедев", "Козлов", "Степанов", "Павлов", "Семёнов",
	}
	ruPatronymics = [][2]string{ // masculine, feminine
		{"Сергеевич", "Сергеевна"}, {"Александрович", "Александровна"}, {"Николаевич", "Николаевна"},
		{"Викторович", "Викторовна"}, {"Владимирович", "Владимировна"}, {"Иванович", "Ивановна"},
		{"Петрович", "Петровна"}, {"Михайлович", "Михайловна"}, {"Юрьевич", "Юрьевна"}, {"Анатольевич", "Анатольевна"},
	}
	kzSchools = []string{
		"№%d жалпы білім беретін мектеп", "№%d мектеп-гимназия", "№%d мектеп-лицей", "№%d орта мектеп",
		"№%d негізгі орта мектеп", "Абай атындағы №%d мектеп-гимназия", "Ы. Алтынсарин атындағы №%d орта мектеп",
		"№%d мамандандырылған лицей",
	}
	ruSchools = []string{
		"Средняя школа №%d", "Школа-гимназия №%d", "Школа-лицей №%d", "Общеобразовательная школа №%d",
		"Гимназия №%d имени Абая",
	}
	kzPositions = []string{
		"математика пәнінің мұғалімі", "қазақ тілі мен әдебиеті пәнінің мұғалімі", "орыс тілі мен әдебиеті пәнінің мұғалімі",
		"ағылшын тілі пәнінің мұғалімі", "физика пәнінің мұғалімі", "химия пәнінің мұғалімі", "биология пәнінің мұғалімі",
		"география пәнінің мұғалімі", "тарих пәнінің мұғалімі", "информатика пәнінің мұғалімі", "бастауыш сынып мұғалімі",
		"дене шынықтыру пәнінің мұғалімі", "музыка пәнінің мұғалімі", "көркем еңбек пәнінің мұғалімі",
		"директордың оқу ісі жөніндегі орынбасары", "педагог-психолог", "мектеп кітапханашысы",
	}
	ruPositions = []string{
		"учитель математики", "учитель русского языка и литературы", "учитель казахского языка и литературы",
		"учитель начальных классов", "учитель истории", "учитель английского языка", "учитель физики",
		"учитель химии", "учитель биологии", "учитель информатики", "заместитель директора по учебной работе",
		"педагог-психолог",
	}
	// kzRegions are the 17 regions (облыстар) and the 3 cities of
	// republican significance, as named since the 2022 reform; ruRegions
	// are the same in Russian, in the same order.
	kzRegions = []string{
		"Абай облысы", "Ақмола облысы", "Ақтөбе облысы", "Алматы облысы", "Атырау облысы",
		"Батыс Қазақстан облысы", "Жамбыл облысы", "Жетісу облысы", "Қарағанды облысы", "Қостанай облысы",
		"Қызылорда облысы", "Маңғыстау облысы", "Павлодар облысы", "Солтүстік Қазақстан облысы", "Түркістан облысы",
		"Ұлытау облысы", "Шығыс Қазақстан облысы", "Астана қаласы", "Алматы қаласы", "Шымкент қаласы",
	}
	ruRegions = []string{
		"область Абай", "Акмолинская область", "Актюбинская область", "Алматинская область", "Атырауская область",
		"Западно-Казахстанская область", "Жамбылская область", "область Жетісу", "Карагандинская область", "Костанайская область",
		"Кызылординская область", "Мангистауская область", "Павлодарская область", "Северо-Казахстанская область", "Туркестанская область",
		"область Ұлытау", "Восточно-Казахстанская область", "город Астана", "город Алматы", "город Шымкент",
	}
	// kzMobileCodes are the operators' mobile prefixes (+7 7xx).
	kzMobileCodes = []string{"700", "701", "702", "705", "707", "708", "747", "771", "775", "776", "777", "778"}
)
