"""Synthetic name pools by name-origin group, nicknames and spelling variants.

Small but varied pools so record linkage, redaction and fairness suites see realistic
diversity. All combinations are synthetic; no real person is described.
"""

from __future__ import annotations

import unicodedata


def _split(text: str) -> tuple[str, ...]:
    return tuple(text.split())


#: name-origin group -> (female given names, male given names, family names)
NAME_POOLS: dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {
    "white_british": (
        _split(
            "Margaret Elizabeth Katherine Rebecca Samantha Charlotte Abigail Victoria Jacqueline "
            "Patricia Harriet Isabella Olivia Amelia Matilda Jennifer Deborah Susan Kimberley "
            "Emily Jessica Sophie Chloe Lauren Hannah Megan Lucy Grace Ellie Poppy Jade Kayleigh "
            "Stacey Leanne Gemma Nicola Zoe Danielle Amber Evie"
        ),
        _split(
            "Frederick William Thomas James Robert Alexander Daniel Joseph Michael Christopher "
            "Nathaniel Anthony Edward Oliver Archibald Henry Theodore Benjamin Joshua Nicholas "
            "Stephen Jack Harry George Charlie Jacob Alfie Oscar Callum Liam Connor Kyle Ryan "
            "Jordan Dylan Lewis Mason Reece Ethan Tyler"
        ),
        _split(
            "Smith Jones Taylor Brown Williams Wilson Johnson Davies Robinson Wright Thompson "
            "Evans Walker White Roberts Green Hall Wood Jackson Clarke Hughes Harrison Marshall "
            "Atkinson Barker Holroyd Pickering Sutcliffe Ackroyd Fairweather"
        ),
    ),
    "south_asian": (
        _split(
            "Fatima Aisha Zainab Maryam Ayesha Khadija Sana Amina Hafsa Iqra Noor Zara Safiya "
            "Rukhsana Nasreen Shazia Parveen Farzana Tahmina Nusrat Rubina Shabana Priya Anjali "
            "Sunita Harpreet Gurpreet Simran Manpreet Jaspreet Kiran Pooja Deepika Nisha Meera "
            "Lakshmi Divya Rupa Sabina Shirin"
        ),
        _split(
            "Mohammed Muhammad Abdullah Ibrahim Yusuf Ahmed Hamza Bilal Imran Tariq Zubair Faisal "
            "Hassan Hussain Usman Adnan Kamran Arif Shahid Rizwan Sajid Nadeem Rajesh Sukhwinder "
            "Gurdeep Harjit Amrik Rohan Arjun Vikram Sanjay Ravi Anil Nikhil Aditya Dev Karan "
            "Rahim Jamal Shafiq"
        ),
        _split(
            "Khan Hussain Ahmed Ali Akhtar Begum Chaudhry Iqbal Mahmood Rashid Shah Malik Butt "
            "Mirza Qureshi Siddiqui Rahman Uddin Miah Islam Patel Sharma Singh Kaur Gill Sandhu "
            "Sidhu Mistry Joshi Choudhury"
        ),
    ),
    "black_african": (
        _split(
            "Oluwaseun Olufunmilayo Oluwadamilola Adaeze Chiamaka Ngozi Chidinma Folake Yetunde "
            "Abimbola Temitope Ifeoma Nneka Blessing Precious Esther Grace Mercy Joy Patience "
            "Amara Zainab Fadumo Hodan Ifrah Sahra Hibaaq Nasra Ayaan Faduma Hawa Abena Akosua "
            "Ama Efua Adwoa Nana Wanjiru Njeri Achieng"
        ),
        _split(
            "Chukwuemeka Adebayo Oluwaseyi Olumide Babajide Tunde Chinedu Obinna Ikechukwu "
            "Emmanuel Samuel Daniel David Joshua Victor Godwin Kelechi Femi Segun Kayode "
            "Abdirahman Abdi Mohamed Ahmed Hassan Liban Mustafe Yusuf Kwame Kofi Kwabena Yaw "
            "Kojo Kwaku Otieno Kamau Mwangi Omondi Tendai Tinashe"
        ),
        _split(
            "Okafor Adeyemi Okonkwo Adebayo Oyelaran Balogun Eze Nwosu Obi Okoro Adewale Olatunji "
            "Ogunleye Afolabi Chukwu Mensah Asante Owusu Boateng Osei Appiah Ali Farah Warsame "
            "Abdi Hassan Mohamud Omar Kariuki Ochieng"
        ),
    ),
    "black_caribbean": (
        _split(
            "Shanice Tanisha Keisha Latoya Shantelle Jasmine Aaliyah Kiara Destiny Imani Nia "
            "Monique Simone Alicia Marcia Beverley Paulette Yvonne Sonia Claudette Janice Dionne "
            "Charmaine Tiana Naomi Kemi Rochelle Tamika Shereen Candice Chantelle Raquel Shauna "
            "Alisha Kerry-Ann Trudy Abigail Leonie Grace Natasha"
        ),
        _split(
            "Tyrone Jermaine Marcus Deandre Kemar Jamal Devon Andre Leon Winston Clive Delroy "
            "Errol Lloyd Desmond Carlton Trevor Wayne Dwayne Jerome Darnell Malik Isaiah Elijah "
            "Josiah Nathaniel Reuben Kai Rico Tyrese Shaquille Leroy Courtney Everton Junior "
            "Ricardo Omari Kareem Jaden Levi"
        ),
        _split(
            "Campbell Williams Brown Francis Richards Thomas Grant Reid Morgan Bailey Clarke "
            "Henry Edwards Gordon Samuels Stewart Gayle Forbes Powell Blake Lewis Benjamin "
            "McKenzie Bennett Ferguson Dacosta Barrett Hylton Wilks Spencer"
        ),
    ),
    "eastern_european": (
        _split(
            "Aleksandra Katarzyna Małgorzata Agnieszka Magdalena Joanna Anna Monika Natalia "
            "Karolina Justyna Paulina Ewelina Dominika Zuzanna Julia Weronika Wiktoria Oliwia "
            "Kinga Ioana Andreea Elena Mihaela Ionela Alexandra Cristina Gabriela Larisa Denisa "
            "Bianca Roxana Daria Alina Irina Simona Georgiana Florentina Lavinia Raluca"
        ),
        _split(
            "Wojciech Aleksander Tomasz Krzysztof Piotr Paweł Marcin Łukasz Michał Jakub Kacper "
            "Szymon Bartosz Mateusz Dawid Kamil Adrian Filip Oskar Igor Andrei Alexandru Ionuț "
            "Mihai Gheorghe Florin Cristian Bogdan Marius Vlad Stefan Razvan Darius Sorin Adi "
            "Ciprian Lucian Nicolae Dumitru Costel"
        ),
        _split(
            "Nowak Kowalski Wiśniewski Wójcik Kowalczyk Kamiński Lewandowski Zieliński "
            "Szymański Woźniak Dąbrowski Kozłowski Jankowski Mazur Krawczyk Popescu Ionescu "
            "Popa Dumitrescu Stan Stoica Gheorghe Rusu Munteanu Matei Constantin Moldovan Lazăr "
            "Ciobanu Dinu"
        ),
    ),
    "east_asian": (
        _split(
            "Mei Xiu Ying Li Hui Jing Xin Yan Fang Lan Ling Na Qing Ting Wen Yue Zhen Jia Min "
            "Hoa Lan-Anh Linh Thuy Trang Mai Huong Ngoc Phuong Thao Yuki Sakura Hana Aiko Min-ji "
            "Seo-yeon Ji-woo Eun-ji Ha-eun Soo-ah Yuna"
        ),
        _split(
            "Wei Jun Hao Jie Lei Ming Tao Yang Feng Bo Chen Gang Hong Jian Kai Long Peng Qiang "
            "Rui Xiang Zhi Bao Minh Duc Hung Tuan Quang Long-Vu Thanh Khanh Hiroshi Kenji Takumi "
            "Haruto Ren Min-jun Seo-jun Ji-ho Do-yun Hyun-woo"
        ),
        _split(
            "Wang Li Zhang Liu Chen Yang Huang Zhao Wu Zhou Xu Sun Ma Zhu Hu Guo Lin He Nguyen "
            "Tran Le Pham Hoang Vu Dang Bui Kim Park Lee Tanaka"
        ),
    ),
    "arabic": (
        _split(
            "Mariam Fatima Khadija Aisha Layla Noor Rania Yasmin Huda Salma Amira Dana Lina "
            "Rasha Samira Hanan Reem Ghada Nadia Leen Jana Malak Sara Hala Zeinab Asma Iman "
            "Rawan Shaima Dalia Nour Hiba Widad Najwa Suha Lubna Manal Rahaf Batoul Tasneem"
        ),
        _split(
            "Mohammed Ahmad Omar Ali Yousef Khaled Abdulrahman Abdullah Hamza Karim Tariq Samir "
            "Nabil Walid Bilal Ibrahim Mustafa Hussein Adel Faris Rami Ziad Jamal Majid Hani "
            "Amir Anas Bashir Fadi Ghassan Hassan Imad Issa Jalal Kamal Laith Mahmoud Nasser "
            "Qasim Saleh"
        ),
        _split(
            "Al-Sayed Haddad Hassan Hussein Ibrahim Khalil Mansour Nasser Qasim Rahman Saleh "
            "Sharif Aziz Darwish Farouk Hamdan Jaber Karam Mahmoud Mousa Nassar Odeh Rashed "
            "Said Shami Suleiman Yassin Zaki Abbas Al-Amin"
        ),
    ),
    "irish_traveller": (
        _split(
            "Bridget Mary Margaret Kathleen Nora Ellen Josie Winnie Brigid Sinead Siobhan Roisin "
            "Aoife Niamh Caitlin Shannon Chelsea Kelly Tracey Sharon Teresa Annie Julie Marie "
            "Christina Rose Lily Dolly Peggy Sadie Biddy Maggie Nellie Phoebe Cheyenne Tiffany "
            "Bernadette Philomena Eileen Geraldine"
        ),
        _split(
            "Patrick Michael John Martin Thomas James Christopher Joseph Francis Edward "
            "Bartholomew Daniel Jimmy Johnny Willie Mikey Sean Liam Declan Kieran Padraig Eamon "
            "Brendan Cornelius Dermot Finbar Gerard Hughie Jerry Larry Matthew Noel Owen Peter "
            "Ronan Shane Tommy Wesley Danny Jody"
        ),
        _split(
            "McDonagh Ward Joyce Maughan Doherty Sherlock Connors Stokes McGinley Cash Lee "
            "Delaney Collins Murphy O'Brien McCarthy Casey Quinn Donoghue Riley Gorman Keenan "
            "Purcell Cawley Mongan Reilly Kennedy Nevin Cassidy McInerney"
        ),
    ),
}

NAME_ORIGINS: tuple[str, ...] = tuple(NAME_POOLS)

#: Formal given name -> informal forms people use (first listed is the most common).
NICKNAMES: dict[str, tuple[str, ...]] = {
    "Frederick": ("Freddie", "Fred"),
    "Margaret": ("Maggie", "Peggy", "Meg"),
    "William": ("Will", "Billy", "Liam"),
    "Elizabeth": ("Liz", "Beth", "Lizzie"),
    "Katherine": ("Kate", "Katie"),
    "Rebecca": ("Becky", "Becca"),
    "Samantha": ("Sam", "Sammy"),
    "Charlotte": ("Charlie", "Lottie"),
    "Abigail": ("Abbie", "Abby"),
    "Victoria": ("Vicky", "Tori"),
    "Jacqueline": ("Jackie",),
    "Patricia": ("Pat", "Tricia"),
    "Harriet": ("Hattie",),
    "Isabella": ("Bella", "Izzy"),
    "Olivia": ("Liv", "Livvy"),
    "Amelia": ("Millie", "Mia"),
    "Matilda": ("Tilly",),
    "Jennifer": ("Jenny", "Jen"),
    "Deborah": ("Debbie", "Deb"),
    "Susan": ("Sue", "Susie"),
    "Kimberley": ("Kim",),
    "Jessica": ("Jess",),
    "Danielle": ("Dani",),
    "Nicola": ("Nicky",),
    "Thomas": ("Tom", "Tommy"),
    "James": ("Jim", "Jamie"),
    "Robert": ("Rob", "Bobby", "Bob"),
    "Alexander": ("Alex", "Xander"),
    "Daniel": ("Dan", "Danny"),
    "Joseph": ("Joe", "Joey"),
    "Michael": ("Mike", "Mikey", "Mick"),
    "Christopher": ("Chris", "Kit"),
    "Nathaniel": ("Nate", "Nat"),
    "Anthony": ("Tony", "Ant"),
    "Edward": ("Eddie", "Ed", "Ted"),
    "Oliver": ("Ollie",),
    "Archibald": ("Archie",),
    "Henry": ("Harry", "Hal"),
    "Theodore": ("Theo", "Teddy"),
    "Benjamin": ("Ben", "Benji"),
    "Joshua": ("Josh",),
    "Nicholas": ("Nick", "Nicky"),
    "Stephen": ("Steve", "Stevie"),
    "Callum": ("Cal",),
    "Jacob": ("Jake",),
    "Mohammed": ("Mo", "Moe"),
    "Muhammad": ("Mo",),
    "Abdullah": ("Abdul",),
    "Abdulrahman": ("Abdul", "Abdi"),
    "Abdirahman": ("Abdi",),
    "Ibrahim": ("Ibby", "Ibi"),
    "Fatima": ("Fati",),
    "Zainab": ("Zee",),
    "Khadija": ("Dija",),
    "Rukhsana": ("Ruksi",),
    "Sukhwinder": ("Sukhi",),
    "Gurpreet": ("Preet", "Gurp"),
    "Harpreet": ("Harpi",),
    "Rajesh": ("Raj",),
    "Vikram": ("Vik",),
    "Nikhil": ("Nik",),
    "Aditya": ("Adi",),
    "Aleksandra": ("Ola", "Ala"),
    "Katarzyna": ("Kasia",),
    "Małgorzata": ("Gosia",),
    "Agnieszka": ("Aga",),
    "Magdalena": ("Magda",),
    "Joanna": ("Asia",),
    "Wiktoria": ("Wika",),
    "Wojciech": ("Wojtek",),
    "Aleksander": ("Olek",),
    "Tomasz": ("Tomek",),
    "Krzysztof": ("Krzysiek",),
    "Piotr": ("Piotrek",),
    "Paweł": ("Pawełek",),
    "Michał": ("Michu",),
    "Jakub": ("Kuba",),
    "Alexandru": ("Alex",),
    "Alexandra": ("Alex", "Sasha"),
    "Gheorghe": ("George",),
    "Ionela": ("Ela",),
    "Mihaela": ("Miha",),
    "Cristina": ("Cristi",),
    "Oluwaseun": ("Seun",),
    "Oluwaseyi": ("Seyi",),
    "Olufunmilayo": ("Funmi",),
    "Oluwadamilola": ("Dami", "Lola"),
    "Chukwuemeka": ("Emeka",),
    "Adebayo": ("Bayo",),
    "Babajide": ("Jide",),
    "Olumide": ("Mide",),
    "Temitope": ("Tope",),
    "Abimbola": ("Bimbo",),
    "Chiamaka": ("Amaka",),
    "Chinedu": ("Nedu",),
    "Ikechukwu": ("Ike",),
    "Emmanuel": ("Manny", "Emma"),
    "Samuel": ("Sam", "Sammy"),
    "Tyrone": ("Ty",),
    "Deandre": ("Dre",),
    "Jermaine": ("Jay",),
    "Marcus": ("Marc",),
    "Tyrese": ("Ty",),
    "Shaquille": ("Shaq",),
    "Natasha": ("Tash",),
    "Tanisha": ("Tish",),
    "Beverley": ("Bev",),
    "Claudette": ("Claudie",),
    "Patrick": ("Paddy", "Pat"),
    "Bridget": ("Biddy", "Bridie"),
    "Brigid": ("Bridie",),
    "Kathleen": ("Kathy", "Kath"),
    "Bartholomew": ("Barty",),
    "Cornelius": ("Con", "Neilie"),
    "Francis": ("Frankie", "Frank"),
    "Winnie": ("Win",),
    "Philomena": ("Mena",),
    "Bernadette": ("Bernie",),
    "Geraldine": ("Gerry",),
    "Christina": ("Chrissie",),
    "Teresa": ("Tess",),
    "Yousef": ("Joe",),
    "Mustafa": ("Musti",),
    "Mahmoud": ("Mody",),
    "Nasser": ("Nas",),
    "Tasneem": ("Tas",),
    "Yasmin": ("Yas",),
}

#: Spelling variants a different source system may hold for the same given name.
SPELLING_VARIANTS: dict[str, tuple[str, ...]] = {
    "Mohammed": ("Muhammad", "Mohammad", "Mohamed"),
    "Muhammad": ("Mohammed", "Muhammed"),
    "Mohamed": ("Mohammed", "Mohamud"),
    "Katarzyna": ("Katarzina", "Katarzyana"),
    "Aisha": ("Ayesha", "Aysha"),
    "Ayesha": ("Aisha",),
    "Yusuf": ("Yousef", "Yusef"),
    "Yousef": ("Yusuf", "Youssef"),
    "Stephen": ("Steven",),
    "Katherine": ("Catherine", "Kathryn"),
    "Zoe": ("Zoë", "Zoey"),
    "Sean": ("Shaun", "Shawn"),
    "Jaden": ("Jayden", "Jaiden"),
    "Mariam": ("Maryam", "Miriam"),
    "Maryam": ("Mariam",),
    "Ahmed": ("Ahmad", "Ahmet"),
    "Ahmad": ("Ahmed",),
    "Hussain": ("Hussein", "Husain"),
    "Hussein": ("Hussain",),
    "Bridget": ("Brigid", "Bridgette"),
    "Kayleigh": ("Kayley", "Kaylee"),
    "Abdirahman": ("Abdurahman", "Abdulrahman"),
    "Abdulrahman": ("Abdel-Rahman", "Abdirahman"),
    "Fatima": ("Fatimah", "Fatma"),
    "Zainab": ("Zaynab", "Zeinab"),
    "Khadija": ("Khadijah", "Kadija"),
    "Layla": ("Leila", "Laila"),
    "Leon": ("Leonne",),
    "Rebecca": ("Rebekah",),
    "Jasmine": ("Jasmin", "Yasmin"),
    "Aaliyah": ("Aliyah", "Aleah"),
    "Isaiah": ("Isiah",),
    "Siobhan": ("Shivaun", "Shevaun"),
    "Sinead": ("Shinead",),
    "Niamh": ("Neve",),
    "Caitlin": ("Kaitlyn", "Katelyn"),
    "Chloe": ("Cloe",),
    "Lewis": ("Louis",),
    "Reece": ("Rhys", "Reese"),
    "Harpreet": ("Harprit",),
    "Gurpreet": ("Gurprit",),
    "Oluwaseun": ("Oluseun",),
    "Chukwuemeka": ("Chukwuemeke",),
    "Ifeoma": ("Ifeomma",),
    "Xiu": ("Hsiu",),
    "Wei": ("Way",),
    "Nguyen": ("Nguyễn",),
    "Ionuț": ("Ionut",),
}

#: Family-name variants (transliteration, dropped diacritics, common misspellings).
FAMILY_NAME_VARIANTS: dict[str, tuple[str, ...]] = {
    "Chaudhry": ("Choudhury", "Chaudhary", "Chowdhury"),
    "Choudhury": ("Chowdhury", "Chaudhry"),
    "Hussain": ("Hussein", "Husain"),
    "Mohamud": ("Mohamed", "Mahamud"),
    "Nowak": ("Novak",),
    "Kowalski": ("Kowalsky",),
    "McDonagh": ("McDonough", "MacDonagh"),
    "Maughan": ("Maughn", "Morgan"),
    "Al-Sayed": ("Alsayed", "El-Sayed"),
    "Al-Amin": ("Alamin",),
    "Okonkwo": ("Okonkow",),
    "Adeyemi": ("Adeyemmi",),
    "Thompson": ("Thomson",),
    "Clarke": ("Clark",),
    "Davies": ("Davis",),
    "Reid": ("Reed",),
    "Mahmood": ("Mehmood", "Mahmud"),
    "Qureshi": ("Quraishi",),
    "Siddiqui": ("Siddiqi",),
    "Uddin": ("Udin",),
    "Miah": ("Mia",),
    "Nguyen": ("Nguyễn",),
    "Dacosta": ("Da Costa", "DaCosta"),
    "O'Brien": ("OBrien", "O Brien"),
    "Mansour": ("Mansur",),
    "Haddad": ("Hadad",),
}

#: A few East Asian people use an English name; these become ``known_as`` aliases.
ANGLICISED_ALIASES: tuple[str, ...] = _split(
    "Kevin Jenny Vivian Tony Lily Jason Annie Eric Helen Michael Amy Andy Cindy David Grace Ken"
)

#: Names used for professionals (varied origins, independent of any family).
PROFESSIONAL_GIVEN: tuple[str, ...] = _split(
    "Sarah Helen Claire Rachel Joanne Louise Amanda Priya Nadia Funmi Agnieszka Mei Bethan "
    "Fiona Gillian Hannah Shabana Tendai Marta Rosa Paul Mark David Andrew Richard Simon "
    "Gareth Imran Kwame Tomasz Hiroshi Stuart Neil Craig Adrian Martin Leroy Faisal Owen Ian"
)
PROFESSIONAL_FAMILY: tuple[str, ...] = _split(
    "Hargreaves Pemberton Oduya Kaczmarek Rahmani Whitfield Lockwood Bhatt Ellison Mwale "
    "Fenwick Gallagher Okeke Sandhu Brennan Ashworth Nakamura Lindqvist Moreno Halliwell "
    "Iqbal Thornton Castellano Winterbottom Asante Dhillon Ferreira Kirkbride Ogunbiyi Baines"
)


def strip_diacritics(name: str) -> str:
    """ "Małgorzata" -> "Malgorzata": what an ASCII-only system stores."""
    table = str.maketrans({"ł": "l", "Ł": "L", "ș": "s", "ț": "t", "Ș": "S", "Ț": "T"})
    decomposed = unicodedata.normalize("NFKD", name.translate(table))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def nicknames_for(given: str) -> tuple[str, ...]:
    return NICKNAMES.get(given, ())


def given_variants(given: str) -> tuple[str, ...]:
    """Spelling variants of a given name, including an ASCII-only form where it differs."""
    out = list(SPELLING_VARIANTS.get(given, ()))
    ascii_form = strip_diacritics(given)
    if ascii_form != given and ascii_form not in out:
        out.append(ascii_form)
    return tuple(out)


def family_variants(family: str) -> tuple[str, ...]:
    out = list(FAMILY_NAME_VARIANTS.get(family, ()))
    ascii_form = strip_diacritics(family)
    if ascii_form != family and ascii_form not in out:
        out.append(ascii_form)
    return tuple(out)
